import { hashSessionToken } from '../../src/auth/session-token-hash';
import { signToken } from '../../src/auth/signed-token';
import { type SignedIn, signIn, signUp } from '../helpers/auth';
import { createTestApp, type TestApp } from '../helpers/test-app';

const TTL_SECONDS = 3600;

/** A letter other than `c`, so that a tampered value always differs from the original. */
const other = (c: string) => (c === 'A' ? 'B' : 'A');
const UPDATE_AGE_SECONDS = 600;

describe('sessions', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);
  let sam: SignedIn;
  const sessionId = async (token: string) =>
    (await rows(`SELECT id FROM auth.sessions WHERE token = $1`, [hashSessionToken(token)]))[0]
      ?.id as string;
  const openSession = () => signIn(sut, sam.user.email, { userAgent: 'jest/1.0' });

  beforeAll(async () => {
    sut = await createTestApp({
      SESSION_TTL_SECONDS: String(TTL_SECONDS),
      SESSION_UPDATE_AGE_SECONDS: String(UPDATE_AGE_SECONDS),
    });
    sam = await signUp(sut, { email: 'sam@example.com', name: 'Sam' });
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('GET /sessions/current', () => {
    it('answers the session and its user, with the role and no ban, never the token', async () => {
      const session = await openSession();

      const response = await http().get('/sessions/current').set(session.auth).expect(200);

      expect(response.body).toEqual({
        id: await sessionId(session.token),
        userId: sam.user.id,
        impersonatedBy: null,
        expiresAt: expect.any(String),
        ipAddress: expect.any(String),
        userAgent: 'jest/1.0',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        user: {
          id: sam.user.id,
          email: 'sam@example.com',
          emailVerified: false,
          name: 'Sam',
          image: null,
          phoneNumber: null,
          phoneNumberVerified: false,
          role: 'user',
          banned: false,
          banExpires: null,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      });
      const expiresAt = Date.parse(response.body.expiresAt);
      expect(expiresAt).toBeGreaterThan(Date.now() + (TTL_SECONDS - 60) * 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + TTL_SECONDS * 1000);
      expect(JSON.stringify(response.body)).not.toContain(session.token);
    });

    it.each([
      ['the raw bearer token', (s: SignedIn) => ({ Authorization: `Bearer ${s.token}` })],
      [
        "the bearer plugin's signed set-auth-token",
        (s: SignedIn) => ({ Authorization: `Bearer ${s.signedToken}` }),
      ],
      [
        'the signed set-auth-token URL-encoded',
        (s: SignedIn) => ({ Authorization: `Bearer ${encodeURIComponent(s.signedToken)}` }),
      ],
      ['the signed session cookie', (s: SignedIn) => ({ Cookie: s.cookie })],
      [
        'the session cookie among others',
        (s: SignedIn) => ({ Cookie: `theme=dark; ${s.cookie}; lang=en` }),
      ],
    ])('accepts %s', async (_form, headers) => {
      const session = await openSession();

      const response = await http().get('/sessions/current').set(headers(session)).expect(200);

      expect(response.body.id).toBe(await sessionId(session.token));
    });

    it('hands out the forms the guard reads: set-auth-token and an HttpOnly session cookie', async () => {
      const response = await http()
        .post('/api/auth/sign-in/email')
        .send({ email: 'sam@example.com', password: 'correct horse battery staple' })
        .expect(200);
      const token = response.body.token as string;

      expect(response.headers['set-auth-token']).toBe(signToken(token, sut.secret));
      expect(response.headers['set-cookie']).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            new RegExp(
              `^better-auth\\.session_token=${encodeURIComponent(signToken(token, sut.secret)).replace(/[.+]/g, '\\$&')};.*HttpOnly`,
            ),
          ),
        ]),
      );
    });

    it.each([
      ['no credentials', {}, 'A session is required', 'Bearer'],
      [
        'another scheme',
        { Authorization: 'Basic dXNlcjpwYXNz' },
        'A session is required',
        'Bearer',
      ],
      ['an empty bearer token', { Authorization: 'Bearer ' }, 'A session is required', 'Bearer'],
      [
        'an unknown token',
        { Authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
        'The session is unknown or expired',
        'Bearer error="invalid_token"',
      ],
      [
        'a malformed bearer value',
        { Authorization: 'Bearer a b' },
        'The session is unknown or expired',
        'Bearer error="invalid_token"',
      ],
    ])('answers 401 for %s', async (_case, headers, message, challenge) => {
      const response = await http().get('/sessions/current').set(headers).expect(401);

      expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message });
      expect(response.headers['www-authenticate']).toBe(challenge);
    });

    it.each([
      [
        'a tampered cookie signature',
        (s: SignedIn) => ({
          Cookie: s.cookie.replace(/(.)(%3D)$/, (_m, last: string, pad) => `${other(last)}${pad}`),
        }),
      ],
      [
        'a cookie signed with another secret',
        (s: SignedIn) => ({
          Cookie: `better-auth.session_token=${encodeURIComponent(signToken(s.token, 'x'.repeat(32)))}`,
        }),
      ],
      ['an unsigned cookie', (s: SignedIn) => ({ Cookie: `better-auth.session_token=${s.token}` })],
      [
        'a signed bearer value with a tampered token',
        (s: SignedIn) => ({
          Authorization: `Bearer ${other(s.signedToken[0]!)}${s.signedToken.slice(1)}`,
        }),
      ],
      [
        'a signed bearer value with a truncated signature',
        (s: SignedIn) => ({ Authorization: `Bearer ${s.signedToken.slice(0, -2)}` }),
      ],
      [
        'a cookie that is not URL-decodable',
        () => ({ Cookie: 'better-auth.session_token=%E0%A4%A.abc' }),
      ],
    ])('answers 401 for %s, though the session is valid', async (_case, headers) => {
      const session = await openSession();

      const response = await http().get('/sessions/current').set(headers(session)).expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      await http().get('/sessions/current').set(session.auth).expect(200);
    });

    it('answers 401 for a session past its expires_at, and deletes that session', async () => {
      const session = await openSession();
      const id = await sessionId(session.token);
      await rows(
        `UPDATE auth.sessions SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [id],
      );

      const response = await http()
        .get('/sessions/current')
        .set('Cookie', session.cookie)
        .expect(401);

      expect(response.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'The session is unknown or expired',
      });
      expect(await rows(`SELECT id FROM auth.sessions WHERE id = $1`, [id])).toEqual([]);
    });

    it('answers a renewed expiresAt once the session is older than SESSION_UPDATE_AGE_SECONDS', async () => {
      const session = await openSession();
      const id = await sessionId(session.token);
      await rows(
        `UPDATE auth.sessions SET expires_at = now() + make_interval(secs => $2) WHERE id = $1`,
        [id, TTL_SECONDS - UPDATE_AGE_SECONDS - 1],
      );

      const response = await http().get('/sessions/current').set(session.auth).expect(200);

      const [row] = await rows(`SELECT expires_at FROM auth.sessions WHERE id = $1`, [id]);
      expect(response.body.expiresAt).toBe((row!.expires_at as Date).toISOString());
      // The renewal sets now() + TTL on the database's clock, so it is measured on that clock.
      const [clock] = await rows(`SELECT now() AS now`);
      expect(Date.parse(response.body.expiresAt)).toBeGreaterThan(
        (clock!.now as Date).getTime() + (TTL_SECONDS - 60) * 1000,
      );
    });
  });

  describe('DELETE /sessions/current', () => {
    it('answers 204, deletes that session only, and the token stops working', async () => {
      const revoked = await openSession();
      const kept = await openSession();
      const [revokedId, keptId] = [await sessionId(revoked.token), await sessionId(kept.token)];

      await http().delete('/sessions/current').set(revoked.auth).expect(204, '');

      expect(
        await rows(`SELECT id FROM auth.sessions WHERE id = ANY($1)`, [[revokedId, keptId]]),
      ).toEqual([{ id: keptId }]);
      await http().get('/sessions/current').set('Cookie', revoked.cookie).expect(401);
      await http().get('/sessions/current').set(kept.auth).expect(200);
    });

    it('answers 401 without a valid session', async () => {
      await http().delete('/sessions/current').expect(401);
      await http().delete('/sessions/current').set('Authorization', 'Bearer nope').expect(401);
    });
  });

  describe('DELETE /sessions', () => {
    it("answers 204 and deletes every session of the caller's user, not other users'", async () => {
      const current = await openSession();
      const elsewhere = await openSession();
      const alex = await signUp(sut, { email: 'alex@example.com', name: 'Alex' });

      await http()
        .delete('/sessions')
        .set({ Cookie: current.cookie, Origin: 'http://localhost:3000' })
        .expect(204, '');

      expect(await rows(`SELECT id FROM auth.sessions WHERE user_id = $1`, [sam.user.id])).toEqual(
        [],
      );
      expect(await rows(`SELECT id FROM auth.sessions WHERE user_id = $1`, [alex.user.id])).toEqual(
        [{ id: await sessionId(alex.token) }],
      );
      for (const session of [current, elsewhere, sam]) {
        await http().get('/sessions/current').set(session.auth).expect(401);
      }
    });

    it('answers 401 without a valid session and deletes nothing', async () => {
      await openSession();
      const before = await rows(`SELECT id FROM auth.sessions ORDER BY id`);

      const response = await http().delete('/sessions').expect(401);

      expect(response.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'A session is required',
      });
      expect(await rows(`SELECT id FROM auth.sessions ORDER BY id`)).toEqual(before);
    });
  });
});
