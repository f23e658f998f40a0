import type { ExecutionContext, HttpException } from '@nestjs/common';
import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public } from '../auth/public.decorator';
import { Roles } from '../auth/roles.decorator';
import { signToken } from '../auth/signed-token';
import { type AppConfig, DEFAULT_CONFIG } from '../config/environment';
import { User } from '../users/user.entity';
import type { AuthenticatedRequest } from './current-session.decorator';
import { SessionGuard } from './session.guard';
import { Session } from './session.entity';
import type { SessionsService } from './sessions.service';

/*
 * The guard's decisions, request by request, on a SessionsService that knows one token: whether
 * the route is public, which token form is read, the CSRF check of cookie requests, the 401s and
 * their `WWW-Authenticate`, and the roles. The lookup itself runs against PostgreSQL in
 * test/integration/sessions.int-spec.ts, the whole chain over HTTP in the e2e specs.
 */

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const TOKEN = 'VIZ42kubA8MYggb5iICQ7xlzpvQsdkI2';
const API_ORIGIN = 'http://localhost:3000';
const LISTED_ORIGIN = 'https://app.example.com';
const COOKIE = 'better-auth.session_token';

class Routes {
  open() {}
  @Public() public() {}
  @Roles('admin') adminOnly() {}
  @Roles('admin', 'user') adminOrUser() {}
}

@Public()
class PublicRoutes {
  any() {}
}

@Roles('admin')
class AdminRoutes {
  any() {}
  @Roles('user') forUsers() {}
}

interface Call {
  method?: string;
  headers?: Record<string, string>;
  controller?: new () => object;
  handler: string;
}

interface Outcome {
  /** What `canActivate` resolved to; undefined when it threw. */
  allowed?: boolean;
  /** What it threw. */
  error?: HttpException;
  request: AuthenticatedRequest;
  /** The headers it set on the response. */
  responseHeaders: Record<string, string>;
}

/** A guard on a SessionsService that knows {@link TOKEN}, for a user with `role`. */
function setup(env: Partial<AppConfig> = {}, role = 'user') {
  const session = new Session();
  session.id = 'a6b3c1f0-0000-4000-8000-000000000001';
  session.user = Object.assign(new User(), { role });
  const validate = jest.fn((token: string) => Promise.resolve(token === TOKEN ? session : null));
  const config: AppConfig = {
    ...DEFAULT_CONFIG,
    BETTER_AUTH_SECRET: SECRET,
    BETTER_AUTH_URL: API_ORIGIN,
    BETTER_AUTH_TRUSTED_ORIGINS: LISTED_ORIGIN,
    PORT: 3000,
    ...env,
  };
  const sut = new SessionGuard({ validate } as unknown as SessionsService, new Reflector(), config);

  async function call({ method = 'GET', headers = {}, controller = Routes, handler }: Call) {
    const request = { method, headers } as unknown as AuthenticatedRequest;
    const responseHeaders: Record<string, string> = {};
    const context = {
      getHandler: () => (controller.prototype as Record<string, () => void>)[handler],
      getClass: () => controller,
      switchToHttp: () => ({
        getRequest: () => request,
        getResponse: () => ({
          header: (name: string, value: string) => (responseHeaders[name] = value),
        }),
      }),
    } as unknown as ExecutionContext;
    const outcome: Outcome = { request, responseHeaders };
    try {
      outcome.allowed = await sut.canActivate(context);
    } catch (error) {
      outcome.error = error as HttpException;
    }
    return outcome;
  }

  return { session, validate, call };
}

const bearer = { authorization: `Bearer ${TOKEN}` };
const cookie = (name = COOKIE) => ({
  cookie: `${name}=${encodeURIComponent(signToken(TOKEN, SECRET))}`,
});

describe(SessionGuard.name, () => {
  describe('public routes', () => {
    it('lets a request to a @Public() method through without a token or a lookup', async () => {
      const { call, validate } = setup();
      const { allowed, request } = await call({ handler: 'public' });
      expect(allowed).toBe(true);
      expect(request.session).toBeUndefined();
      expect(validate).not.toHaveBeenCalled();
    });

    it('lets a request to any method of a @Public() controller through', async () => {
      const { call, validate } = setup();
      expect((await call({ controller: PublicRoutes, handler: 'any' })).allowed).toBe(true);
      expect(validate).not.toHaveBeenCalled();
    });
  });

  describe('tokens', () => {
    it.each([
      ['the raw bearer token', bearer],
      ['the signed bearer value', { authorization: `Bearer ${signToken(TOKEN, SECRET)}` }],
      ['the signed session cookie', cookie()],
    ])('takes %s, looks it up and attaches the session', async (_, headers) => {
      const { call, validate, session } = setup();
      const { allowed, request, responseHeaders } = await call({ headers, handler: 'open' });
      expect(allowed).toBe(true);
      expect(validate).toHaveBeenCalledWith(TOKEN);
      expect(request.session).toBe(session);
      expect(responseHeaders).toEqual({});
    });

    it('reads the __Secure- cookie in production, and not the plain one', async () => {
      const { call } = setup({ NODE_ENV: 'production' });
      expect((await call({ headers: cookie(`__Secure-${COOKIE}`), handler: 'open' })).allowed).toBe(
        true,
      );
      const { error } = await call({ headers: cookie(), handler: 'open' });
      expect(error).toEqual(new UnauthorizedException('A session is required'));
    });

    it('checks signatures with BETTER_AUTH_SECRET', async () => {
      const { call } = setup({ BETTER_AUTH_SECRET: `${SECRET}-another` });
      const { error } = await call({ headers: cookie(), handler: 'open' });
      expect(error).toEqual(new UnauthorizedException('The session is unknown or expired'));
    });

    it('answers 401 "A session is required" with WWW-Authenticate: Bearer without a token', async () => {
      const { call, validate } = setup();
      const { error, responseHeaders, request } = await call({ handler: 'open' });
      expect(error).toEqual(new UnauthorizedException('A session is required'));
      expect(responseHeaders).toEqual({ 'WWW-Authenticate': 'Bearer' });
      expect(request.session).toBeUndefined();
      expect(validate).not.toHaveBeenCalled();
    });

    it.each([
      ['an unknown token', { authorization: 'Bearer unknownTokenOfThirtyTwoCharsXYZ' }, 1],
      ['a wrongly signed cookie', { cookie: `${COOKIE}=${TOKEN}.bad` }, 0],
    ])(
      'answers 401 "unknown or expired" with error="invalid_token" for %s',
      async (_, headers, lookups) => {
        const { call, validate } = setup();
        const { error, responseHeaders } = await call({ headers, handler: 'open' });
        expect(error).toEqual(new UnauthorizedException('The session is unknown or expired'));
        expect(responseHeaders).toEqual({ 'WWW-Authenticate': 'Bearer error="invalid_token"' });
        expect(validate).toHaveBeenCalledTimes(lookups);
      },
    );
  });

  describe('cookie requests that change state (CSRF)', () => {
    const untrusted = new ForbiddenException({
      message: 'A request authenticated by cookie must come from a trusted Origin',
      details: [
        {
          field: 'origin',
          message: 'A request authenticated by cookie must come from a trusted Origin',
        },
      ],
    });

    it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
      'refuses a %s by cookie from another origin with 403 naming origin, before any lookup',
      async (method) => {
        const { call, validate } = setup();
        const { error } = await call({
          method,
          headers: { ...cookie(), origin: 'https://evil.example' },
          handler: 'open',
        });
        expect(error).toEqual(untrusted);
        expect(error?.getResponse()).toEqual(untrusted.getResponse());
        expect(validate).not.toHaveBeenCalled();
      },
    );

    it('refuses a POST by cookie with neither Origin nor Referer', async () => {
      const { call } = setup();
      expect((await call({ method: 'POST', headers: cookie(), handler: 'open' })).error).toEqual(
        untrusted,
      );
    });

    it.each([
      ['the API origin', API_ORIGIN],
      ['an origin of BETTER_AUTH_TRUSTED_ORIGINS', LISTED_ORIGIN],
    ])('accepts a POST by cookie from %s', async (_, origin) => {
      const { call } = setup();
      const outcome = await call({
        method: 'POST',
        headers: { ...cookie(), origin },
        handler: 'open',
      });
      expect(outcome.allowed).toBe(true);
    });

    it('accepts a POST by cookie from the origin BETTER_AUTH_URL names', async () => {
      const { call } = setup({ BETTER_AUTH_URL: 'https://api.example.org' });
      const headers = { ...cookie(), origin: 'https://api.example.org' };
      expect((await call({ method: 'POST', headers, handler: 'open' })).allowed).toBe(true);
      const fromDefault = { ...cookie(), origin: API_ORIGIN };
      expect((await call({ method: 'POST', headers: fromDefault, handler: 'open' })).error).toEqual(
        untrusted,
      );
    });

    it('accepts a GET by cookie from another origin: it changes nothing', async () => {
      const { call } = setup();
      const headers = { ...cookie(), origin: 'https://evil.example' };
      expect((await call({ method: 'GET', headers, handler: 'open' })).allowed).toBe(true);
    });

    it('does not check the origin of a bearer request', async () => {
      const { call } = setup();
      const headers = { ...bearer, origin: 'https://evil.example' };
      expect((await call({ method: 'DELETE', headers, handler: 'open' })).allowed).toBe(true);
    });

    it('answers 401, not 403, to a POST from another origin without a token', async () => {
      const { call } = setup();
      const { error } = await call({
        method: 'POST',
        headers: { origin: 'https://evil.example' },
        handler: 'open',
      });
      expect(error).toEqual(new UnauthorizedException('A session is required'));
    });
  });

  describe('roles', () => {
    it('refuses a user without the role of a @Roles() method with 403 naming the role', async () => {
      const { call } = setup();
      const outcome = await call({ headers: bearer, handler: 'adminOnly' });
      expect(outcome.error).toEqual(new ForbiddenException('This route requires the admin role'));
    });

    it('names every role a route accepts', async () => {
      const { call } = setup({}, 'guest');
      const outcome = await call({ headers: bearer, handler: 'adminOrUser' });
      expect(outcome.error).toEqual(
        new ForbiddenException('This route requires the admin or user role'),
      );
    });

    it('lets a user with one of the roles through, roles being comma-separated', async () => {
      expect(
        (await setup({}, 'admin').call({ headers: bearer, handler: 'adminOnly' })).allowed,
      ).toBe(true);
      expect(
        (await setup({}, 'user').call({ headers: bearer, handler: 'adminOrUser' })).allowed,
      ).toBe(true);
      expect(
        (await setup({}, 'user,admin').call({ headers: bearer, handler: 'adminOnly' })).allowed,
      ).toBe(true);
    });

    it('applies the roles of the controller, and lets a method override them', async () => {
      const user = setup({}, 'user');
      expect(
        (await user.call({ headers: bearer, controller: AdminRoutes, handler: 'any' })).error,
      ).toEqual(new ForbiddenException('This route requires the admin role'));
      const forUsers = await user.call({
        headers: bearer,
        controller: AdminRoutes,
        handler: 'forUsers',
      });
      expect(forUsers.allowed).toBe(true);
    });

    it('lets any signed-in user through a route without @Roles()', async () => {
      const { call } = setup({}, 'guest');
      expect((await call({ headers: bearer, handler: 'open' })).allowed).toBe(true);
    });
  });
});
