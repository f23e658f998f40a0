import { newEmail, PASSWORD, type SignedIn, signIn, signUp } from '../helpers/auth';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { hashSessionToken } from '../../src/auth/session-token-hash';

const MAX_SESSIONS = 3;

/**
 * When sessions end without the user signing out: the cap on live sessions per user, a password
 * change and an email change.
 */
describe('session revocation', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);
  const guardStatus = async (session: SignedIn) =>
    (await http().get('/sessions/current').set(session.auth)).status;
  /** The stored tokens of the user's sessions, oldest first: SHA-256 hashes, never the tokens. */
  const tokensOf = async (userId: string) =>
    (
      await rows(`SELECT token FROM auth.sessions WHERE user_id = $1 ORDER BY created_at`, [userId])
    ).map((row) => row.token as string);
  /** The user's sign-up session followed by `more` sign-ins, oldest first. */
  const sessionsOfNewUser = async (more: number): Promise<SignedIn[]> => {
    const first = await signUp(sut);
    const sessions = [first];
    for (let i = 0; i < more; i++) sessions.push(await signIn(sut, first.user.email));
    return sessions;
  };

  beforeAll(async () => {
    sut = await createTestApp({ SESSION_MAX_PER_USER: String(MAX_SESSIONS) });
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('SESSION_MAX_PER_USER', () => {
    it('keeps only the newest sessions: after cap + 2 sign-ins the 2 oldest tokens get 401', async () => {
      const sessions = await sessionsOfNewUser(MAX_SESSIONS + 1);
      const userId = sessions[0]!.user.id;

      expect(sessions).toHaveLength(MAX_SESSIONS + 2);
      expect(await tokensOf(userId)).toEqual(
        sessions.slice(2).map((s) => hashSessionToken(s.token)),
      );
      const statuses = [];
      for (const session of sessions) statuses.push(await guardStatus(session));
      expect(statuses).toEqual([401, 401, 200, 200, 200]);
    });

    it("does not count expired sessions, and leaves them to the clean-up; other users' sessions stay", async () => {
      const bystander = await signUp(sut);
      const sessions = await sessionsOfNewUser(MAX_SESSIONS - 1);
      const userId = sessions[0]!.user.id;
      await rows(
        `UPDATE auth.sessions SET expires_at = now() - interval '1 second' WHERE token = $1`,
        [hashSessionToken(sessions[0]!.token)],
      );

      const next = await signIn(sut, sessions[0]!.user.email);

      expect(await tokensOf(userId)).toEqual(
        [...sessions, next].map((s) => hashSessionToken(s.token)),
      );
      expect(await guardStatus(bystander)).toBe(200);
    });

    it('applies to sign-up: the first session is within the cap', async () => {
      const [only] = await sessionsOfNewUser(0);

      expect(await tokensOf(only!.user.id)).toEqual([hashSessionToken(only!.token)]);
    });
  });

  describe('POST /api/auth/change-password', () => {
    it.each([
      ['without revokeOtherSessions', {}],
      ['with revokeOtherSessions: false', { revokeOtherSessions: false }],
    ])(
      'revokes every other session %s; the caller continues with the new session it returns',
      async (_case, flag) => {
        const [caller, ...others] = await sessionsOfNewUser(2);
        const userId = caller!.user.id;

        const response = await http()
          .post('/api/auth/change-password')
          .set(caller!.auth)
          .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase', ...flag })
          .expect(200);

        const token = response.body.token as string;
        expect(token).toMatch(/^[A-Za-z0-9]{32}$/);
        expect(await tokensOf(userId)).toEqual([hashSessionToken(token)]);
        expect(await guardStatus(others[0]!)).toBe(401);
        expect(await guardStatus(others[1]!)).toBe(401);
        expect(await guardStatus(caller!)).toBe(401);
        await http().get('/sessions/current').set('Authorization', `Bearer ${token}`).expect(200);
      },
    );

    it('revokes nothing when the current password is wrong', async () => {
      const sessions = await sessionsOfNewUser(1);

      await http()
        .post('/api/auth/change-password')
        .set(sessions[0]!.auth)
        .send({ currentPassword: 'not the password', newPassword: 'a brand new passphrase' })
        .expect(400);

      expect(await tokensOf(sessions[0]!.user.id)).toEqual(
        sessions.map((s) => hashSessionToken(s.token)),
      );
    });
  });

  describe('PATCH /users/:id', () => {
    it('revokes every other session of the user on a new email, and keeps the caller', async () => {
      const [first, caller, third] = await sessionsOfNewUser(2);
      const bystander = await signUp(sut);
      const email = newEmail('moved');

      await http().patch(`/users/${caller!.user.id}`).set(caller!.auth).send({ email }).expect(200);

      expect(await tokensOf(caller!.user.id)).toEqual([hashSessionToken(caller!.token)]);
      expect([
        await guardStatus(first!),
        await guardStatus(caller!),
        await guardStatus(third!),
      ]).toEqual([401, 200, 401]);
      expect(await guardStatus(bystander)).toBe(200);
      expect(await rows(`SELECT email FROM auth.users WHERE id = $1`, [caller!.user.id])).toEqual([
        { email },
      ]);
    });

    it.each([
      ['another name only', () => ({ name: 'Renamed' })],
      ['the same email', (s: SignedIn) => ({ email: s.user.email, name: 'Same' })],
    ])('revokes nothing for %s', async (_case, body) => {
      const sessions = await sessionsOfNewUser(2);

      await http()
        .patch(`/users/${sessions[1]!.user.id}`)
        .set(sessions[1]!.auth)
        .send(body(sessions[0]!))
        .expect(200);

      expect(await tokensOf(sessions[0]!.user.id)).toEqual(
        sessions.map((s) => hashSessionToken(s.token)),
      );
    });

    it('revokes nothing when the new email is refused (409): the update and the revocation are one transaction', async () => {
      const taken = await signUp(sut);
      const sessions = await sessionsOfNewUser(1);

      await http()
        .patch(`/users/${sessions[0]!.user.id}`)
        .set(sessions[0]!.auth)
        .send({ email: taken.user.email })
        .expect(409);

      expect(await tokensOf(sessions[0]!.user.id)).toEqual(
        sessions.map((s) => hashSessionToken(s.token)),
      );
    });

    it('keeps the email when revoking the sessions fails: one transaction', async () => {
      const sessions = await sessionsOfNewUser(1);
      const userId = sessions[0]!.user.id;
      await rows(`CREATE FUNCTION auth.refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'sessions may not be deleted'; END $$`);
      await rows(
        `CREATE TRIGGER sessions_refuse_delete BEFORE DELETE ON auth.sessions FOR EACH ROW EXECUTE FUNCTION auth.refuse_delete()`,
      );
      try {
        await http()
          .patch(`/users/${userId}`)
          .set(sessions[0]!.auth)
          .send({ email: newEmail('unmoved') })
          .expect(500);
      } finally {
        await rows(`DROP TRIGGER sessions_refuse_delete ON auth.sessions`);
        await rows(`DROP FUNCTION auth.refuse_delete()`);
      }

      expect(await rows(`SELECT email FROM auth.users WHERE id = $1`, [userId])).toEqual([
        { email: sessions[0]!.user.email },
      ]);
      expect(await tokensOf(userId)).toEqual(sessions.map((s) => hashSessionToken(s.token)));
    });
  });
});
