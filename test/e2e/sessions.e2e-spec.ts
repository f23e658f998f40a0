import { createTestApp, type TestApp } from '../helpers/test-app';

const TTL_SECONDS = 3600;
const UPDATE_AGE_SECONDS = 600;

describe('sessions', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);
  let user: { id: string; email: string };

  const openSession = async (userId = user.id) =>
    (await http().post(`/users/${userId}/sessions`).set('User-Agent', 'jest/1.0').expect(201))
      .body as { id: string; token: string; expiresAt: string };

  beforeAll(async () => {
    sut = await createTestApp({
      SESSION_TTL_SECONDS: String(TTL_SECONDS),
      SESSION_UPDATE_AGE_SECONDS: String(UPDATE_AGE_SECONDS),
    });
    user = (await http().post('/users').send({ email: 'sam@example.com', name: 'Sam' }).expect(201))
      .body;
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('POST /users/:id/sessions', () => {
    it('answers 201 with id, token and expiresAt only, and stores the session', async () => {
      const before = Date.now();

      const session = await openSession();

      expect(Object.keys(session).sort()).toEqual(['expiresAt', 'id', 'token']);
      expect(session.token).toMatch(/^[A-Za-z0-9]{32}$/);
      const expiresAt = Date.parse(session.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + TTL_SECONDS * 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + TTL_SECONDS * 1000);
      expect(
        await rows(
          `SELECT user_id, token, user_agent, ip_address IS NOT NULL AS has_ip FROM auth.sessions WHERE id = $1`,
          [session.id],
        ),
      ).toEqual([{ user_id: user.id, token: session.token, user_agent: 'jest/1.0', has_ip: true }]);
    });

    it('gives every session a different token', async () => {
      const tokens = await Promise.all(
        Array.from({ length: 20 }, () => openSession().then((s) => s.token)),
      );

      expect(new Set(tokens).size).toBe(20);
    });

    it('answers 404 for an unknown user and stores nothing', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';

      const response = await http().post(`/users/${unknown}/sessions`).expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `User ${unknown} not found`,
      });
      expect(await rows(`SELECT id FROM auth.sessions WHERE user_id = $1`, [unknown])).toEqual([]);
    });

    it('answers 400 naming id for a malformed user id', async () => {
      const response = await http().post('/users/xyz/sessions').expect(400);

      expect(response.body.details).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    });
  });

  describe('GET /sessions/current', () => {
    it('answers the session and its user, never the token', async () => {
      const session = await openSession();

      const response = await http()
        .get('/sessions/current')
        .set('Authorization', `Bearer ${session.token}`)
        .expect(200);

      expect(response.body).toEqual({
        id: session.id,
        userId: user.id,
        expiresAt: session.expiresAt,
        ipAddress: expect.any(String),
        userAgent: 'jest/1.0',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        user,
      });
      expect(JSON.stringify(response.body)).not.toContain(session.token);
    });

    it.each([
      ['no Authorization header', undefined, 'A bearer token is required', 'Bearer'],
      ['another scheme', 'Basic dXNlcjpwYXNz', 'A bearer token is required', 'Bearer'],
      ['an empty bearer token', 'Bearer ', 'A bearer token is required', 'Bearer'],
      [
        'an unknown token',
        'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        'The session is unknown or expired',
        'Bearer error="invalid_token"',
      ],
    ])('answers 401 for %s', async (_case, header, message, challenge) => {
      const call = http().get('/sessions/current');
      if (header !== undefined) call.set('Authorization', header);

      const response = await call.expect(401);

      expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message });
      expect(response.headers['www-authenticate']).toBe(challenge);
    });

    it('answers 401 for a session past its expires_at, and deletes that session', async () => {
      const session = await openSession();
      await sut.dataSource.query(
        `UPDATE auth.sessions SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [session.id],
      );

      const response = await http()
        .get('/sessions/current')
        .set('Authorization', `Bearer ${session.token}`)
        .expect(401);

      expect(response.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'The session is unknown or expired',
      });
      expect(await rows(`SELECT id FROM auth.sessions WHERE id = $1`, [session.id])).toEqual([]);
    });

    it('answers a renewed expiresAt once the session is older than SESSION_UPDATE_AGE_SECONDS', async () => {
      const session = await openSession();
      await sut.dataSource.query(
        `UPDATE auth.sessions SET expires_at = now() + make_interval(secs => $2) WHERE id = $1`,
        [session.id, TTL_SECONDS - UPDATE_AGE_SECONDS - 1],
      );

      const response = await http()
        .get('/sessions/current')
        .set('Authorization', `Bearer ${session.token}`)
        .expect(200);

      const [row] = await rows(`SELECT expires_at FROM auth.sessions WHERE id = $1`, [session.id]);
      expect(response.body.expiresAt).toBe((row!.expires_at as Date).toISOString());
      expect(Date.parse(response.body.expiresAt)).toBeGreaterThan(
        Date.now() + (TTL_SECONDS - 60) * 1000,
      );
    });
  });

  describe('DELETE /sessions/current', () => {
    it('answers 204, deletes that session only, and the token stops working', async () => {
      const revoked = await openSession();
      const kept = await openSession();

      await http()
        .delete('/sessions/current')
        .set('Authorization', `Bearer ${revoked.token}`)
        .expect(204, '');

      expect(
        await rows(`SELECT id FROM auth.sessions WHERE id = ANY($1) ORDER BY id`, [
          [revoked.id, kept.id],
        ]),
      ).toEqual([{ id: kept.id }]);
      await http()
        .get('/sessions/current')
        .set('Authorization', `Bearer ${revoked.token}`)
        .expect(401);
      await http()
        .get('/sessions/current')
        .set('Authorization', `Bearer ${kept.token}`)
        .expect(200);
    });

    it('answers 401 without a valid token', async () => {
      await http().delete('/sessions/current').expect(401);
      await http().delete('/sessions/current').set('Authorization', 'Bearer nope').expect(401);
    });
  });

  describe('DELETE /sessions', () => {
    it("answers 204 and deletes every session of the caller's user, not other users'", async () => {
      const current = await openSession();
      const elsewhere = await openSession();
      const other = (
        await http().post('/users').send({ email: 'alex@example.com', name: 'Alex' }).expect(201)
      ).body as { id: string };
      const othersSession = await openSession(other.id);

      await http()
        .delete('/sessions')
        .set('Authorization', `Bearer ${current.token}`)
        .expect(204, '');

      expect(await rows(`SELECT id FROM auth.sessions WHERE user_id = $1`, [user.id])).toEqual([]);
      expect(await rows(`SELECT id FROM auth.sessions WHERE user_id = $1`, [other.id])).toEqual([
        { id: othersSession.id },
      ]);
      for (const token of [current.token, elsewhere.token]) {
        await http().get('/sessions/current').set('Authorization', `Bearer ${token}`).expect(401);
      }
    });

    it('answers 401 without a valid token and deletes nothing', async () => {
      await openSession();
      const before = await rows(`SELECT id FROM auth.sessions ORDER BY id`);

      const response = await http().delete('/sessions').expect(401);

      expect(response.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'A bearer token is required',
      });
      expect(await rows(`SELECT id FROM auth.sessions ORDER BY id`)).toEqual(before);
    });
  });
});
