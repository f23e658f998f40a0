import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { AuthenticatedRequest } from './current-session.decorator';
import { SessionsService } from './sessions.service';

/**
 * Lets a request through when its `Authorization: Bearer <token>` header names an unexpired
 * session ({@link SessionsService.validate}: an expired one is deleted, a due one renewed), and
 * attaches that session and its user for `@CurrentSession()` and `@CurrentUser()`.
 *
 * @throws UnauthorizedException (401, with `WWW-Authenticate: Bearer` as RFC 6750 asks) when the
 *   header is missing or malformed, or the token is unknown or expired.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? '')?.[1];
    const session = token ? await this.sessions.validate(token) : null;
    if (!session) {
      http
        .getResponse<{ setHeader(name: string, value: string): void }>()
        .setHeader('WWW-Authenticate', token ? 'Bearer error="invalid_token"' : 'Bearer');
      throw new UnauthorizedException(
        token ? 'The session is unknown or expired' : 'A bearer token is required',
      );
    }
    request.session = session;
    return true;
  }
}
