import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { trustedOrigins, useSecureCookies } from '../auth/auth-options';
import { IS_PUBLIC } from '../auth/public.decorator';
import { fromTrustedOrigin } from '../auth/request-origin';
import { presentsBearer, readSessionToken, sessionCookieName } from '../auth/request-token';
import { hasAnyRole, type Role } from '../auth/roles';
import { ROLES } from '../auth/roles.decorator';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/environment';
import type { AuthenticatedRequest } from './current-session.decorator';
import { SessionsService } from './sessions.service';

/** The methods that may change state: with the cookie, only from a trusted origin (CSRF). */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const UNTRUSTED_ORIGIN = 'A request authenticated by cookie must come from a trusted Origin';

/**
 * The app's one authentication guard, global: every route requires a session unless it is marked
 * `@Public()`. It takes the session token from any form in which Better Auth hands it to a client:
 *
 * - `Authorization: Bearer <token>`, the raw token;
 * - `Authorization: Bearer <token>.<signature>`, the `set-auth-token` value of the bearer plugin;
 * - the signed session cookie `better-auth.session_token` (`__Secure-better-auth.session_token`
 *   in production).
 *
 * Signatures are checked against `BETTER_AUTH_SECRET` (HMAC-SHA-256; see {@link readSessionToken}).
 * The token is then looked up by {@link SessionsService.validate}, one prepared statement: an
 * expired session is deleted, a due one renewed; a banned user's session is refused. The session
 * and its user are attached for `@CurrentSession()` and `@CurrentUser()`. A route marked
 * `@Roles(...)` then needs a user with one of those roles.
 *
 * A `POST`, `PUT`, `PATCH` or `DELETE` authenticated by the cookie must also come from a trusted
 * origin ({@link fromTrustedOrigin}: `Origin`, else `Referer`, in `trustedOrigins()`), as Better
 * Auth requires on its own routes. A bearer token cannot be sent by another site's page, so it is
 * not checked. This is decided before the lookup, from the headers alone.
 *
 * @throws ForbiddenException (403, naming `origin`) for such a cookie request from elsewhere.
 * @throws UnauthorizedException (401, with `WWW-Authenticate: Bearer` as RFC 6750 asks) when no
 *   token is given, a signature is wrong, or the session is unknown, expired or refused.
 * @throws ForbiddenException (403) when the user has none of the route's `@Roles`.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  private readonly secret: string;
  private readonly cookieName: string;
  private readonly trustedOrigins: ReadonlySet<string>;

  constructor(
    private readonly sessions: SessionsService,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.secret = config.BETTER_AUTH_SECRET ?? '';
    this.cookieName = sessionCookieName(useSecureCookies(config));
    this.trustedOrigins = new Set(trustedOrigins(config));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    const controller = context.getClass();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, controller])) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const token = readSessionToken(request.headers, this.secret, this.cookieName);
    if (
      token &&
      UNSAFE_METHODS.has(request.method) &&
      !presentsBearer(request.headers) &&
      !fromTrustedOrigin(request.headers, this.trustedOrigins)
    ) {
      throw new ForbiddenException({
        message: UNTRUSTED_ORIGIN,
        details: [{ field: 'origin', message: UNTRUSTED_ORIGIN }],
      });
    }
    const session = token ? await this.sessions.validate(token) : null;
    if (!session) {
      const given = token !== undefined;
      http
        .getResponse<FastifyReply>()
        .header('WWW-Authenticate', given ? 'Bearer error="invalid_token"' : 'Bearer');
      throw new UnauthorizedException(
        given ? 'The session is unknown or expired' : 'A session is required',
      );
    }
    request.session = session;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [
      handler,
      controller,
    ]);
    if (roles && !hasAnyRole(session.user?.role, roles)) {
      throw new ForbiddenException(`This route requires the ${roles.join(' or ')} role`);
    }
    return true;
  }
}
