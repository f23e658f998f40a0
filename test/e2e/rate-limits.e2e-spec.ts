import { newEmail, PASSWORD } from '../helpers/auth';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { hashSessionToken } from '../../src/auth/session-token-hash';

/** The 429 of Better Auth's rate limiter: `Retry-After` (added) and `X-Retry-After` agree. */
function expectAuthLimited(
  response: { status: number; headers: Record<string, string>; body: unknown },
  windowSeconds: number,
): void {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({ message: 'Too many requests. Please try again later.' });
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds).toBe(true);
  expect(response.headers['x-retry-after']).toBe(response.headers['retry-after']);
}

/** The 429 of the API's throttler, in the app's error shape, with `Retry-After`. */
function expectApiLimited(
  response: { status: number; headers: Record<string, string>; body: unknown },
  ttlSeconds: number,
): void {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({
    statusCode: 429,
    error: 'Too Many Requests',
    message: 'Too many requests: try again later',
  });
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= ttlSeconds).toBe(true);
}

/**
 * Rate limits: Better Auth's at `/api/auth` (counted in `auth.rate_limits`), the throttler's on
 * the rest of the API (in memory). Each test comes from its own client address through
 * `X-Forwarded-For`, which the app believes because `TRUST_PROXY=loopback` (supertest connects
 * from 127.0.0.1), so the tests do not share counters.
 */
describe('rate limits', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);
  let ipCounter = 0;
  const newIp = () => `203.0.113.${++ipCounter}`;
  const signUpFrom = (ip: string, email = newEmail('limited')) =>
    http()
      .post('/api/auth/sign-up/email')
      .set('X-Forwarded-For', ip)
      .send({ email, password: PASSWORD, name: 'Limited' });
  const signInFrom = (ip: string, email: string, password: string) =>
    http().post('/api/auth/sign-in/email').set('X-Forwarded-For', ip).send({ email, password });

  beforeAll(async () => {
    sut = await createTestApp({
      TRUST_PROXY: 'loopback',
      AUTH_RATE_LIMIT_WINDOW_SECONDS: '60',
      AUTH_RATE_LIMIT_MAX: '10',
      AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS: '60',
      AUTH_SIGN_IN_RATE_LIMIT_MAX: '3',
      AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS: '300',
      AUTH_EMAIL_RATE_LIMIT_MAX: '2',
      API_RATE_LIMIT_TTL_SECONDS: '60',
      API_RATE_LIMIT_MAX: '5',
    });
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('Better Auth (/api/auth)', () => {
    it('answers 429 with Retry-After after AUTH_SIGN_IN_RATE_LIMIT_MAX sign-ins, even with the right password, per address', async () => {
      const email = newEmail('guessed');
      await signUpFrom(newIp(), email).expect(200);
      const attacker = newIp();
      const started = Date.now();

      const wrong = [];
      for (let i = 0; i < 3; i++)
        wrong.push((await signInFrom(attacker, email, 'wrong guess!')).status);
      const right = await signInFrom(attacker, email, PASSWORD);

      expect(wrong).toEqual([401, 401, 401]);
      expectAuthLimited(right, 60);
      expect(
        await rows(`SELECT key, count, last_request FROM auth.rate_limits WHERE key LIKE $1`, [
          `${attacker}|%`,
        ]),
      ).toEqual([
        { key: `${attacker}|/sign-in/email`, count: 3, last_request: expect.any(String) },
      ]);
      const [row] = await rows(`SELECT last_request FROM auth.rate_limits WHERE key = $1`, [
        `${attacker}|/sign-in/email`,
      ]);
      expect(Number(row!.last_request)).toBeGreaterThanOrEqual(started);
      expect(Number(row!.last_request)).toBeLessThanOrEqual(Date.now());
      await signInFrom(newIp(), email, PASSWORD).expect(200);
    });

    it('limits sign-up floods: the request past the limit creates no user', async () => {
      const ip = newIp();
      const emails = [1, 2, 3, 4].map(() => newEmail('flood'));

      const statuses = [];
      for (const email of emails.slice(0, 3)) statuses.push((await signUpFrom(ip, email)).status);
      const refused = await signUpFrom(ip, emails[3]);

      expect(statuses).toEqual([200, 200, 200]);
      expectAuthLimited(refused, 60);
      expect(
        await rows(`SELECT email FROM auth.users WHERE email = ANY($1) ORDER BY email`, [emails]),
      ).toEqual(
        emails
          .slice(0, 3)
          .sort()
          .map((email) => ({ email })),
      );
    });

    it.each([
      ['/request-password-reset', { redirectTo: 'http://localhost:3000/reset' }],
      ['/send-verification-email', {}],
    ])(
      'sends at most AUTH_EMAIL_RATE_LIMIT_MAX mails through %s per window',
      async (path, extra) => {
        const email = newEmail('mailed');
        await signUpFrom(newIp(), email).expect(200);
        const ip = newIp();
        const send = () =>
          http()
            .post(`/api/auth${path}`)
            .set('X-Forwarded-For', ip)
            .send({ email, ...extra });

        const statuses = [(await send()).status, (await send()).status];
        const refused = await send();

        expect(statuses).toEqual([200, 200]);
        expectAuthLimited(refused, 300);
        expect(sut.mailer.messages.filter((message) => message.to === email)).toHaveLength(2);
      },
    );

    it('limits every other endpoint to AUTH_RATE_LIMIT_MAX per window', async () => {
      const ip = newIp();

      const statuses = [];
      for (let i = 0; i < 10; i++) {
        statuses.push(
          (await http().get('/api/auth/get-session').set('X-Forwarded-For', ip)).status,
        );
      }
      const refused = await http().get('/api/auth/get-session').set('X-Forwarded-For', ip);

      expect(statuses).toEqual(Array<number>(10).fill(200));
      expectAuthLimited(refused, 60);
    });

    it('stores the client address that TRUST_PROXY resolves in the session', async () => {
      const ip = newIp();

      const response = await signUpFrom(ip).expect(200);

      expect(
        await rows(`SELECT ip_address FROM auth.sessions WHERE token = $1`, [
          hashSessionToken(response.body.token as string),
        ]),
      ).toEqual([{ ip_address: ip }]);
    });
  });

  describe('the rest of the API (throttler)', () => {
    it('answers 429 with Retry-After, in the error shape, after API_RATE_LIMIT_MAX requests per address, all routes together', async () => {
      const ip = newIp();
      const get = (path: string) => http().get(path).set('X-Forwarded-For', ip);

      const first = [];
      for (const path of [
        '/categories',
        '/locations',
        '/categories',
        '/locations',
        '/categories',
      ]) {
        const response = await get(path);
        first.push([response.status, response.headers['x-ratelimit-remaining']]);
      }
      const refused = await get('/locations');

      expect(first).toEqual([
        [200, '4'],
        [200, '3'],
        [200, '2'],
        [200, '1'],
        [200, '0'],
      ]);
      expectApiLimited(refused, 60);
      await http().get('/categories').set('X-Forwarded-For', newIp()).expect(200);
      await http().get('/api/auth/get-session').set('X-Forwarded-For', ip).expect(200);
      await get('/health').expect(200);
    });

    it('limits anonymous requests with wrong bearer tokens before the session guard: 401s, then 429s', async () => {
      const ip = newIp();

      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          http()
            .get('/sessions/current')
            .set('X-Forwarded-For', ip)
            .set('Authorization', `Bearer wrong-token-${i}`),
        ),
      );

      const unauthorized = responses.filter((response) => response.status === 401);
      const limited = responses.filter((response) => response.status === 429);
      expect([unauthorized.length, limited.length]).toEqual([5, 15]);
      for (const response of unauthorized) {
        expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      }
      for (const response of limited) expectApiLimited(response, 60);
    });
  });
});

/**
 * The limits as production has them by default (no proxy trusted, the `Environment` defaults):
 * `X-Forwarded-For` is the client's word and changes nothing.
 */
describe('rate limits with the default settings', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({
      TRUST_PROXY: 'false',
      AUTH_RATE_LIMIT_WINDOW_SECONDS: '60',
      AUTH_RATE_LIMIT_MAX: '100',
      AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS: '60',
      AUTH_SIGN_IN_RATE_LIMIT_MAX: '5',
      AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS: '300',
      AUTH_EMAIL_RATE_LIMIT_MAX: '3',
      API_RATE_LIMIT_TTL_SECONDS: '60',
      API_RATE_LIMIT_MAX: '100',
    });
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('counts 5 sign-ins per 60 s by the TCP peer, whatever X-Forwarded-For claims', async () => {
    const statuses = [];
    for (let i = 1; i <= 6; i++) {
      const response = await sut
        .http()
        .post('/api/auth/sign-in/email')
        .set('X-Forwarded-For', `198.51.100.${i}`)
        .send({ email: 'nobody@example.com', password: 'wrong guess!' });
      statuses.push(response.status);
    }

    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await sut.rows(`SELECT key, count FROM auth.rate_limits`)).toEqual([
      { key: '127.0.0.1|/sign-in/email', count: 5 },
    ]);
  });

  it('meets 300 wrong bearer tokens sent at once with 100 401s and 200 429s', async () => {
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        sut.http().get('/sessions/current').set('Authorization', `Bearer wrong-token-${i}`),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect([
      statuses.filter((s) => s === 401).length,
      statuses.filter((s) => s === 429).length,
    ]).toEqual([100, 200]);
  });
});
