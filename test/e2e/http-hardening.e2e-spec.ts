import { newEmail, PASSWORD, type SignedIn, signUp } from '../helpers/auth';
import { createTestApp, type TestApp } from '../helpers/test-app';

const APP = 'https://app.example.com';
/** BETTER_AUTH_URL's origin when it is unset: `http://localhost:<PORT>`. */
const API = 'http://localhost:3000';
const EVIL = 'https://evil.example.com';

/** The security headers every response carries (Nest's `useSecurityHeaders`, helmet's set). */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

const UNSUPPORTED = {
  statusCode: 415,
  error: 'Unsupported Media Type',
  message: 'Content-Type must be application/json',
  details: [{ field: 'content-type', message: 'Content-Type must be application/json' }],
};

const UNTRUSTED_ORIGIN = {
  statusCode: 403,
  error: 'Forbidden',
  message: 'A request authenticated by cookie must come from a trusted Origin',
  details: [
    {
      field: 'origin',
      message: 'A request authenticated by cookie must come from a trusted Origin',
    },
  ],
};

/**
 * The HTTP hardening every route shares (`configureApp`): security headers, CORS for
 * CORS_ORIGINS, JSON bodies only, the Origin rule for cookie-authenticated writes and
 * `Cache-Control: no-store` on the responses that carry a session.
 */
describe('HTTP hardening', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);
  const nameOf = async (id: string) =>
    (await rows(`SELECT name FROM auth.users WHERE id = $1`, [id]))[0]?.name;
  let ann: SignedIn;

  beforeAll(async () => {
    sut = await createTestApp({ BETTER_AUTH_TRUSTED_ORIGINS: APP, CORS_ORIGINS: APP });
    ann = await signUp(sut, { name: 'Ann' });
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('security headers', () => {
    it.each([
      ['a public route', 'GET /health', 200, {}],
      ['a protected route', 'GET /sessions/current', 200, 'bearer'],
      ['a refused request', 'GET /sessions/current', 401, {}],
      ["Better Auth's routes", 'GET /api/auth/get-session', 200, 'bearer'],
      ['an unknown route', 'GET /nowhere', 404, {}],
    ] as const)('are sent on %s (%s), without X-Powered-By', async (_name, route, status, auth) => {
      const path = route.split(' ')[1]!;
      const response = await http()
        .get(path)
        .set(auth === 'bearer' ? ann.auth : {})
        .expect(status);

      expect(response.headers).toMatchObject(SECURITY_HEADERS);
      expect(response.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('CORS (CORS_ORIGINS)', () => {
    it('lets a listed origin read responses, with credentials and set-auth-token', async () => {
      const response = await http().get('/sessions/current').set(ann.auth).set('Origin', APP);

      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'set-auth-token,Retry-After,WWW-Authenticate',
        vary: 'Origin',
      });
    });

    it('sends no Access-Control-Allow-Origin to any other origin, BETTER_AUTH_URL included', async () => {
      for (const origin of [EVIL, API, 'null']) {
        const response = await http().get('/health').set('Origin', origin).expect(200);

        expect(response.headers['access-control-allow-origin']).toBeUndefined();
        expect(response.headers.vary).toBe('Origin');
      }
    });

    it.each([
      ['PATCH', '/users/00000000-0000-4000-8000-000000000000'],
      ['POST', '/api/auth/sign-in/email'],
    ])('answers the preflight of %s %s for a listed origin', async (method, path) => {
      const response = await http()
        .options(path)
        .set({
          Origin: APP,
          'Access-Control-Request-Method': method,
          'Access-Control-Request-Headers': 'content-type,authorization',
        })
        .expect(204);

      expect(response.headers).toMatchObject({
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET,HEAD,POST,PUT,PATCH,DELETE',
        'access-control-allow-headers': 'Authorization,Content-Type',
        'access-control-max-age': '600',
        ...SECURITY_HEADERS,
      });
    });

    it('answers the preflight of another origin without Access-Control-Allow-Origin', async () => {
      const response = await http()
        .options('/api/auth/sign-in/email')
        .set({ Origin: EVIL, 'Access-Control-Request-Method': 'POST' })
        .expect(204);

      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('sends no CORS headers at all when CORS_ORIGINS is unset', async () => {
      const bare = await createTestApp({ CORS_ORIGINS: '' });
      try {
        const simple = await bare.http().get('/health').set('Origin', APP).expect(200);
        const preflight = await bare
          .http()
          .options('/api/auth/sign-in/email')
          .set({ Origin: APP, 'Access-Control-Request-Method': 'POST' });

        for (const response of [simple, preflight]) {
          expect(
            Object.keys(response.headers).filter((h) => h.startsWith('access-control-')),
          ).toEqual([]);
        }
      } finally {
        await bare.close();
      }
    });
  });

  describe('JSON bodies only', () => {
    const bodies = [
      ['text/plain (with a JSON body)', 'text/plain'],
      ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
      ['multipart/form-data', 'multipart/form-data; boundary=x'],
    ] as const;
    const encode = (type: string, fields: Record<string, string>) =>
      type === 'text/plain'
        ? JSON.stringify(fields)
        : type.startsWith('multipart/')
          ? Object.entries(fields)
              .map(([k, v]) => `--x\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
              .join('') + '--x--\r\n'
          : new URLSearchParams(fields).toString();

    it.each(bodies)('answers 415 to %s on our routes and changes nothing', async (_name, type) => {
      const response = await http()
        .patch(`/users/${ann.user.id}`)
        .set(ann.auth)
        .set('Content-Type', type)
        .send(encode(type, { name: 'Changed' }))
        .expect(415);

      expect(response.body).toEqual(UNSUPPORTED);
      expect(await nameOf(ann.user.id)).toBe('Ann');
    });

    it.each(bodies)('answers 415 to %s on sign-up and stores no user', async (_name, type) => {
      const email = newEmail('form');
      const response = await http()
        .post('/api/auth/sign-up/email')
        .set('Content-Type', type)
        .send(encode(type, { email, password: PASSWORD, name: 'Form' }))
        .expect(415);

      expect(response.body).toEqual(UNSUPPORTED);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await rows(`SELECT id FROM auth.users WHERE email = $1`, [email])).toEqual([]);
    });

    it.each(bodies)('answers 415 to %s on sign-in and opens no session', async (_name, type) => {
      const before = await rows(`SELECT id FROM auth.sessions WHERE user_id = $1`, [ann.user.id]);

      const response = await http()
        .post('/api/auth/sign-in/email')
        .set('Content-Type', type)
        .send(encode(type, { email: ann.user.email, password: PASSWORD }))
        .expect(415);

      expect(response.body).toEqual(UNSUPPORTED);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await rows(`SELECT id FROM auth.sessions WHERE user_id = $1`, [ann.user.id])).toEqual(
        before,
      );
    });

    it('answers 415 to a +json type under /api/auth, which Better Auth does not read', async () => {
      const response = await http()
        .post('/api/auth/sign-in/email')
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ email: ann.user.email, password: PASSWORD }))
        .expect(415);

      expect(response.body).toEqual(UNSUPPORTED);
    });

    it('reads a +json type on our routes', async () => {
      const bob = await signUp(sut, { name: 'Bob' });

      await http()
        .patch(`/users/${bob.user.id}`)
        .set(bob.auth)
        .set('Content-Type', 'application/merge-patch+json; charset=utf-8')
        .send(JSON.stringify({ name: 'Robert' }))
        .expect(200);

      expect(await nameOf(bob.user.id)).toBe('Robert');
    });

    it('takes a DELETE without a body', async () => {
      const session = await signUp(sut);

      await http().delete('/sessions/current').set(session.auth).expect(204);
    });
  });

  describe('cookie-authenticated writes on our routes', () => {
    let cid: SignedIn;
    const rename = (headers: Record<string, string>, name: string) =>
      http().patch(`/users/${cid.user.id}`).set(headers).send({ name });

    beforeAll(async () => {
      cid = await signUp(sut, { name: 'Cid' });
    });

    it('are refused with 403 from an untrusted Origin, and change nothing', async () => {
      const response = await rename({ Cookie: cid.cookie, Origin: EVIL }, 'Evil');

      expect(response.status).toBe(403);
      expect(response.body).toEqual(UNTRUSTED_ORIGIN);
      expect(await nameOf(cid.user.id)).toBe('Cid');
    });

    it('are refused with 403 with neither Origin nor Referer', async () => {
      const response = await rename({ Cookie: cid.cookie }, 'Nobody');

      expect(response.status).toBe(403);
      expect(response.body).toEqual(UNTRUSTED_ORIGIN);
      expect(await nameOf(cid.user.id)).toBe('Cid');
    });

    it.each([
      ['Origin: null', { Origin: 'null' }],
      ['an untrusted Referer', { Referer: `${EVIL}/page` }],
      ['a trusted Referer behind an untrusted Origin', { Origin: EVIL, Referer: `${APP}/` }],
      ['a look-alike origin', { Origin: `${APP}.evil.example.com` }],
      ['another port', { Origin: 'http://localhost:3001' }],
    ])('are refused with 403 with %s', async (_name, headers) => {
      const response = await rename({ Cookie: cid.cookie, ...headers }, 'Sneaky');

      expect(response.status).toBe(403);
      expect(await nameOf(cid.user.id)).toBe('Cid');
    });

    it.each([
      ["BETTER_AUTH_URL's origin", { Origin: API }],
      ['an origin of BETTER_AUTH_TRUSTED_ORIGINS', { Origin: APP }],
      ['a trusted Referer and no Origin', { Referer: `${APP}/settings?tab=profile` }],
      ['Origin: null from the same origin', { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' }],
    ])('are served from %s', async (name, headers) => {
      const response = await rename({ Cookie: cid.cookie, ...headers }, name);

      expect(response.status).toBe(200);
      expect(await nameOf(cid.user.id)).toBe(name);
    });

    it('apply to every state-changing method: DELETE /sessions/current keeps the session', async () => {
      const session = await signUp(sut);

      await http()
        .delete('/sessions/current')
        .set({ Cookie: session.cookie, Origin: EVIL })
        .expect(403);
      await http().get('/sessions/current').set(session.auth).expect(200);
    });

    it('do not apply to reads: GET with the cookie from any origin is served', async () => {
      await http().get('/sessions/current').set({ Cookie: cid.cookie, Origin: EVIL }).expect(200);
      await http().get('/sessions/current').set({ Cookie: cid.cookie }).expect(200);
    });

    it('do not apply to bearer tokens, with or without Origin, even beside a cookie', async () => {
      await rename(cid.auth, 'Bearer one').expect(200);
      await rename({ ...cid.auth, Origin: EVIL }, 'Bearer two').expect(200);
      await rename(
        { Authorization: `Bearer ${cid.signedToken}`, Cookie: cid.cookie, Origin: EVIL },
        'Bearer three',
      ).expect(200);

      expect(await nameOf(cid.user.id)).toBe('Bearer three');
    });

    it('answer 401, not 403, for a forged cookie from an untrusted Origin', async () => {
      await rename({ Cookie: 'better-auth.session_token=forged.sig', Origin: EVIL }, 'X').expect(
        401,
      );
    });
  });

  describe('Cache-Control: no-store on the responses that carry a session', () => {
    it('on sign-up, sign-in, get-session, a failed sign-in and /sessions/current', async () => {
      const email = newEmail('cache');
      const signUpResponse = await http()
        .post('/api/auth/sign-up/email')
        .send({ email, password: PASSWORD, name: 'Cache' })
        .expect(200);
      const signInResponse = await http()
        .post('/api/auth/sign-in/email')
        .send({ email, password: PASSWORD })
        .expect(200);
      const auth = { Authorization: `Bearer ${signInResponse.body.token as string}` };
      const responses = [
        signUpResponse,
        signInResponse,
        await http().get('/api/auth/get-session').set(auth).expect(200),
        await http()
          .post('/api/auth/sign-in/email')
          .send({ email, password: 'wrong password!' })
          .expect(401),
        await http().get('/sessions/current').set(auth).expect(200),
      ];

      expect(responses.map((response) => response.headers['cache-control'])).toEqual(
        Array(5).fill('no-store'),
      );
    });
  });
});
