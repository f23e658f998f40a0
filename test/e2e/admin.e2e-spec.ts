import { newAdmin, newEmail, PASSWORD, type SignedIn, signIn, signUp } from '../helpers/auth';
import { npmRun } from '../helpers/processes';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { hashSessionToken } from '../../src/auth/session-token-hash';

/** The origin Better Auth trusts in the tests (`BETTER_AUTH_URL` defaults to it). */
const ORIGIN = 'http://localhost:3000';

/** Better Auth's answer to a banned user's sign-in (the admin plugin's `bannedUserMessage`). */
const BANNED = {
  code: 'BANNED_USER',
  message:
    'You have been banned from this application. Please contact support if you believe this is an error.',
};

/**
 * Roles and admin: Better Auth's admin plugin under /api/auth/admin/*, driven through the app,
 * and what the app's SessionGuard makes of roles, bans and impersonation sessions.
 */
describe('admin (Better Auth admin plugin and roles)', () => {
  let sut: TestApp;
  let root: SignedIn;
  let uma: SignedIn;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);
  const asAdmin = (path: string, body: object, as: SignedIn = root) =>
    http().post(`/api/auth/admin/${path}`).set(as.auth).send(body);
  const guardStatus = async (auth: { Authorization: string }) =>
    (await http().get('/sessions/current').set(auth)).status;
  const getSession = async (auth: { Authorization: string }) =>
    (await http().get('/api/auth/get-session').set(auth).expect(200)).body as {
      session: { id: string; userId: string; impersonatedBy?: string | null };
      user: { id: string; role: string };
    } | null;
  const sessionCount = async (userId: string) =>
    (await rows(`SELECT count(*)::int AS n FROM auth.sessions WHERE user_id = $1`, [userId]))[0]!
      .n as number;
  /** A user as Better Auth's admin endpoints show it: every field, the ban reason included. */
  const adminView = (user: SignedIn['user'], fields: Record<string, unknown> = {}) => ({
    id: user.id,
    email: user.email,
    name: user.name,
    emailVerified: false,
    image: null,
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
    role: 'user',
    banned: false,
    banReason: null,
    banExpires: null,
    ...fields,
  });
  const signInStatus = async (email: string) =>
    http().post('/api/auth/sign-in/email').send({ email, password: PASSWORD });

  beforeAll(async () => {
    sut = await createTestApp();
    root = await newAdmin(sut, { email: 'root@example.com', name: 'Root' });
    uma = await signUp(sut, { email: 'uma@example.com', name: 'Uma' });
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('who is an admin', () => {
    it('gives every new user the role user, which the guard and get-session both show', async () => {
      const current = await http().get('/sessions/current').set(uma.auth).expect(200);

      expect(current.body.user).toMatchObject({ id: uma.user.id, role: 'user', banned: false });
      expect((await getSession(uma.auth))?.user.role).toBe('user');
      expect(
        await rows(`SELECT role, banned FROM auth.users WHERE id = $1`, [uma.user.id]),
      ).toEqual([{ role: 'user', banned: false }]);
    });

    it('lets an admin list users at GET /users, and not a user (403 in the error shape)', async () => {
      await http().get('/users').set(root.auth).expect(200);
      const refused = await http().get('/users').set(uma.auth).expect(403);

      expect(refused.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'This route requires the admin role',
      });
    });

    it.each([
      ['GET', 'list-users', {}, 'YOU_ARE_NOT_ALLOWED_TO_LIST_USERS'],
      [
        'POST',
        'create-user',
        { email: 'refused@example.com', password: PASSWORD, name: 'Refused' },
        'YOU_ARE_NOT_ALLOWED_TO_CREATE_USERS',
      ],
      ['POST', 'set-role', { role: 'admin' }, 'YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE'],
      ['POST', 'ban-user', {}, 'YOU_ARE_NOT_ALLOWED_TO_BAN_USERS'],
      ['POST', 'unban-user', {}, 'YOU_ARE_NOT_ALLOWED_TO_BAN_USERS'],
      ['POST', 'revoke-user-sessions', {}, 'YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS'],
      ['POST', 'impersonate-user', {}, 'YOU_ARE_NOT_ALLOWED_TO_IMPERSONATE_USERS'],
    ])(
      'answers 403 to a user who is not an admin at %s /api/auth/admin/%s, and changes nothing',
      async (method, path, body, code) => {
        const sessionsBefore = await sessionCount(root.user.id);

        const response =
          method === 'GET'
            ? await http().get(`/api/auth/admin/${path}`).set(uma.auth)
            : await asAdmin(path, { userId: root.user.id, ...body }, uma);

        expect(response.status).toBe(403);
        expect(response.body).toEqual({ code, message: expect.any(String) });
        expect(
          await rows(`SELECT role, banned FROM auth.users WHERE id = $1`, [root.user.id]),
        ).toEqual([{ role: 'admin', banned: false }]);
        expect(await sessionCount(root.user.id)).toBe(sessionsBefore);
        expect(await rows(`SELECT id FROM auth.users WHERE email = 'refused@example.com'`)).toEqual(
          [],
        );
        expect(
          await rows(`SELECT id FROM auth.sessions WHERE impersonated_by IS NOT NULL`),
        ).toEqual([]);
      },
    );

    it('answers 401 to an anonymous call of an admin endpoint', async () => {
      await http().get('/api/auth/admin/list-users').expect(401);
    });

    it("refuses a user's own attempt to set its role through Better Auth's update-user", async () => {
      const response = await http()
        .post('/api/auth/update-user')
        .set(uma.auth)
        .send({ role: 'admin' })
        .expect(400);

      expect(response.body).toEqual({
        code: 'FIELD_NOT_ALLOWED',
        message: 'role is not allowed to be set',
      });
      expect(await rows(`SELECT role FROM auth.users WHERE id = $1`, [uma.user.id])).toEqual([
        { role: 'user' },
      ]);
    });
  });

  describe('list-users', () => {
    let pagers: SignedIn[];

    beforeAll(async () => {
      pagers = [];
      for (const letter of ['a', 'b', 'c']) {
        pagers.push(
          await signUp(sut, { email: `pager-${letter}@example.com`, name: `Pager ${letter}` }),
        );
      }
    });

    it('pages through a search by email, with the total', async () => {
      const query = {
        searchField: 'email',
        searchOperator: 'starts_with',
        searchValue: 'pager-',
        sortBy: 'email',
        sortDirection: 'asc',
        limit: 2,
      };

      const first = await http()
        .get('/api/auth/admin/list-users')
        .set(root.auth)
        .query({ ...query, offset: 0 })
        .expect(200);
      const second = await http()
        .get('/api/auth/admin/list-users')
        .set(root.auth)
        .query({ ...query, offset: 2 })
        .expect(200);

      expect(first.body).toEqual({
        users: [adminView(pagers[0]!.user), adminView(pagers[1]!.user)],
        total: 3,
        limit: 2,
      });
      expect(second.body).toEqual({
        users: [adminView(pagers[2]!.user)],
        total: 3,
        limit: 2,
        offset: 2,
      });
    });

    it('searches by name', async () => {
      const response = await http()
        .get('/api/auth/admin/list-users')
        .set(root.auth)
        .query({ searchField: 'name', searchOperator: 'contains', searchValue: 'Pager b' })
        .expect(200);

      expect(response.body).toEqual({ users: [adminView(pagers[1]!.user)], total: 1 });
    });
  });

  describe('create-user and set-role', () => {
    it('creates a user with a password, not signed in, who can then sign in', async () => {
      const response = await asAdmin('create-user', {
        email: 'Made@Example.com',
        password: PASSWORD,
        name: 'Made',
      }).expect(200);

      const id = response.body.user.id as string;
      expect(response.body).toEqual({
        user: adminView({
          id,
          email: 'made@example.com',
          name: 'Made',
          emailVerified: false,
        }),
      });
      expect(await rows(`SELECT email, role FROM auth.users WHERE id = $1`, [id])).toEqual([
        { email: 'made@example.com', role: 'user' },
      ]);
      expect(await rows(`SELECT provider_id FROM auth.accounts WHERE user_id = $1`, [id])).toEqual([
        { provider_id: 'credential' },
      ]);
      expect(await sessionCount(id)).toBe(0);

      const made = await signIn(sut, 'made@example.com');
      expect(made.user.id).toBe(id);
      expect(await guardStatus(made.auth)).toBe(200);
    });

    it('refuses a role that is not configured, and an email already taken', async () => {
      const role = await asAdmin('create-user', {
        email: newEmail('bad-role'),
        password: PASSWORD,
        name: 'X',
        role: 'superuser',
      }).expect(400);
      const taken = await asAdmin('create-user', {
        email: 'UMA@example.com',
        password: PASSWORD,
        name: 'X',
      }).expect(400);

      expect(role.body).toMatchObject({ code: 'YOU_ARE_NOT_ALLOWED_TO_SET_NON_EXISTENT_VALUE' });
      expect(taken.body).toMatchObject({ code: 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL' });
    });

    it('sets a role, which counts at once for the sessions the user already has', async () => {
      const vic = await signUp(sut);
      await http().get('/users').set(vic.auth).expect(403);

      const granted = await asAdmin('set-role', { userId: vic.user.id, role: 'admin' }).expect(200);

      expect(granted.body).toEqual({ user: adminView(vic.user, { role: 'admin' }) });
      expect(await rows(`SELECT role FROM auth.users WHERE id = $1`, [vic.user.id])).toEqual([
        { role: 'admin' },
      ]);
      await http().get('/users').set(vic.auth).expect(200);
      await http().get('/api/auth/admin/list-users').set(vic.auth).expect(200);

      await asAdmin('set-role', { userId: vic.user.id, role: 'user' }).expect(200);
      await http().get('/users').set(vic.auth).expect(403);
      await asAdmin('set-role', { userId: vic.user.id, role: 'superuser' }).expect(400);
      expect(await rows(`SELECT role FROM auth.users WHERE id = $1`, [vic.user.id])).toEqual([
        { role: 'user' },
      ]);
    });
  });

  describe('ban-user and unban-user', () => {
    it('bans: the sessions go, the guard and get-session refuse them, sign-in answers 403 BANNED_USER', async () => {
      const ben = await signUp(sut);
      const other = await signIn(sut, ben.user.email);

      const response = await asAdmin('ban-user', {
        userId: ben.user.id,
        banReason: 'spam',
      }).expect(200);

      expect(response.body).toEqual({
        user: adminView(ben.user, { banned: true, banReason: 'spam' }),
      });
      expect(
        await rows(`SELECT banned, ban_reason, ban_expires FROM auth.users WHERE id = $1`, [
          ben.user.id,
        ]),
      ).toEqual([{ banned: true, ban_reason: 'spam', ban_expires: null }]);
      expect(await sessionCount(ben.user.id)).toBe(0);
      expect([await guardStatus(ben.auth), await guardStatus(other.auth)]).toEqual([401, 401]);
      expect([await getSession(ben.auth), await getSession(other.auth)]).toEqual([null, null]);

      const signInAttempt = await signInStatus(ben.user.email);
      expect(signInAttempt.status).toBe(403);
      expect(signInAttempt.body).toEqual(BANNED);
      expect(await sessionCount(ben.user.id)).toBe(0);

      const unbanned = await asAdmin('unban-user', { userId: ben.user.id }).expect(200);

      expect(unbanned.body).toEqual({ user: adminView(ben.user) });
      const again = await signIn(sut, ben.user.email);
      expect(await guardStatus(again.auth)).toBe(200);
    });

    it('bans for a while with banExpiresIn', async () => {
      const tim = await signUp(sut);

      await asAdmin('ban-user', { userId: tim.user.id, banExpiresIn: 3600 }).expect(200);

      expect(
        await rows(
          `SELECT banned, ban_reason,
                  ban_expires BETWEEN now() + interval '59 minutes' AND now() + interval '61 minutes' AS in_an_hour
             FROM auth.users WHERE id = $1`,
          [tim.user.id],
        ),
      ).toEqual([{ banned: true, ban_reason: 'No reason', in_an_hour: true }]);
      expect((await signInStatus(tim.user.email)).body).toEqual(BANNED);
    });

    it('does not let an admin ban itself', async () => {
      const response = await asAdmin('ban-user', { userId: root.user.id }).expect(400);

      expect(response.body).toMatchObject({ code: 'YOU_CANNOT_BAN_YOURSELF' });
      expect(await guardStatus(root.auth)).toBe(200);
    });
  });

  describe('a ban written by another path (SQL)', () => {
    let sam: SignedIn;
    const ban = (expires: string | null) =>
      rows(
        `UPDATE auth.users SET banned = true, ban_expires = now() + $2::interval WHERE id = $1`,
        [sam.user.id, expires],
      );

    beforeAll(async () => {
      sam = await signUp(sut);
    });

    afterEach(async () => {
      await rows(`UPDATE auth.users SET banned = false, ban_expires = NULL WHERE id = $1`, [
        sam.user.id,
      ]);
    });

    it.each([
      ['without end', null],
      ['that has not expired', '1 hour'],
    ])(
      'is refused by the guard at once, %s (401, invalid_token), the session kept',
      async (_case, expires) => {
        await ban(expires);

        const response = await http().get('/sessions/current').set(sam.auth).expect(401);

        expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
        expect(response.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'The session is unknown or expired',
        });
        await http().get('/users/me').set(sam.auth).expect(401);
        expect(await sessionCount(sam.user.id)).toBe(1);
        // Better Auth checks bans only when a session is created (sign-in), not on get-session.
        expect((await getSession(sam.auth))?.user.id).toBe(sam.user.id);
        expect((await signInStatus(sam.user.email)).body).toEqual(BANNED);
      },
    );

    it('lets the session through once the ban has expired, or is lifted', async () => {
      await ban('-1 second');
      expect(await guardStatus(sam.auth)).toBe(200);

      await ban(null);
      expect(await guardStatus(sam.auth)).toBe(401);
      await rows(`UPDATE auth.users SET banned = false WHERE id = $1`, [sam.user.id]);
      expect(await guardStatus(sam.auth)).toBe(200);
    });
  });

  describe('revoke-user-sessions', () => {
    it("deletes every session of the user and none of anyone else's", async () => {
      const rex = await signUp(sut);
      const second = await signIn(sut, rex.user.email);
      const umaSessions = await sessionCount(uma.user.id);

      await asAdmin('revoke-user-sessions', { userId: rex.user.id }).expect(200, {
        success: true,
      });

      expect(await sessionCount(rex.user.id)).toBe(0);
      expect([await guardStatus(rex.auth), await guardStatus(second.auth)]).toEqual([401, 401]);
      expect(await sessionCount(uma.user.id)).toBe(umaSessions);
      await signIn(sut, rex.user.email);
    });

    it('revoke-user-session deletes the one session named by the hash list-user-sessions shows', async () => {
      const sam = await signUp(sut);
      const other = await signIn(sut, sam.user.email);
      const listed = await asAdmin('list-user-sessions', { userId: sam.user.id }).expect(200);
      const tokens = (listed.body as { sessions: { token: string }[] }).sessions.map(
        (s) => s.token,
      );
      expect(tokens.sort()).toEqual(
        [hashSessionToken(sam.token), hashSessionToken(other.token)].sort(),
      );

      await asAdmin('revoke-user-session', { sessionToken: hashSessionToken(other.token) }).expect(
        200,
      );

      expect([await guardStatus(sam.auth), await guardStatus(other.auth)]).toEqual([200, 401]);
      expect(await sessionCount(sam.user.id)).toBe(1);
    });
  });

  describe('impersonate-user and stop-impersonating', () => {
    let ivy: SignedIn;

    beforeAll(async () => {
      ivy = await signUp(sut, { name: 'Ivy' });
    });

    /** Impersonates `target` as `admin`; returns the session token and the cookies to send. */
    const impersonate = async (target: string, admin: SignedIn = root) => {
      const response = await asAdmin('impersonate-user', { userId: target }, admin).expect(200);
      const setCookie = (response.headers['set-cookie'] as unknown as string[]).map(
        (cookie) => cookie.split(';')[0]!,
      );
      const cookies = setCookie.filter((cookie) => !/=$/.test(cookie));
      return {
        body: response.body as { session: { id: string; token: string; userId: string } },
        auth: { Authorization: `Bearer ${response.body.session.token as string}` },
        cookie: cookies.join('; '),
      };
    };

    it('opens a session of the user marked impersonated_by the admin, which the guard and get-session accept', async () => {
      const { body, auth } = await impersonate(ivy.user.id);

      expect(body.session).toMatchObject({ userId: ivy.user.id, impersonatedBy: root.user.id });
      expect(
        await rows(
          `SELECT user_id, impersonated_by,
                  expires_at BETWEEN now() + interval '59 minutes' AND now() + interval '61 minutes' AS in_an_hour
             FROM auth.sessions WHERE token = $1`,
          [hashSessionToken(body.session.token)],
        ),
      ).toEqual([{ user_id: ivy.user.id, impersonated_by: root.user.id, in_an_hour: true }]);

      const current = await http().get('/sessions/current').set(auth).expect(200);
      expect(current.body).toMatchObject({
        id: body.session.id,
        userId: ivy.user.id,
        impersonatedBy: root.user.id,
        user: { id: ivy.user.id, role: 'user' },
      });
      expect((await http().get('/users/me').set(auth).expect(200)).body.id).toBe(ivy.user.id);
      await http().get('/users').set(auth).expect(403);
      expect((await getSession(auth))?.session).toMatchObject({
        id: body.session.id,
        impersonatedBy: root.user.id,
      });
    });

    it("stops impersonating: the impersonation session goes and the admin's session comes back", async () => {
      const { body, auth, cookie } = await impersonate(ivy.user.id);

      const response = await http()
        .post('/api/auth/admin/stop-impersonating')
        .set({ Cookie: cookie, Origin: ORIGIN })
        .send({})
        .expect(200);

      expect(response.body).toMatchObject({
        session: { userId: root.user.id },
        user: { id: root.user.id, role: 'admin' },
      });
      expect(await rows(`SELECT id FROM auth.sessions WHERE id = $1`, [body.session.id])).toEqual(
        [],
      );
      expect(await guardStatus(auth)).toBe(401);
      expect(await guardStatus(root.auth)).toBe(200);
    });

    it('refuses to impersonate another admin (403 YOU_CANNOT_IMPERSONATE_ADMINS)', async () => {
      const other = await newAdmin(sut);

      const response = await asAdmin('impersonate-user', { userId: other.user.id }).expect(403);

      expect(response.body).toMatchObject({ code: 'YOU_CANNOT_IMPERSONATE_ADMINS' });
      expect(
        await rows(
          `SELECT count(*)::int AS n FROM auth.sessions WHERE impersonated_by IS NOT NULL AND user_id = $1`,
          [other.user.id],
        ),
      ).toEqual([{ n: 0 }]);
    });

    it('refuses an impersonation session once its admin is no longer an admin, or is banned', async () => {
      const temp = await newAdmin(sut);
      const { auth } = await impersonate(ivy.user.id, temp);
      expect(await guardStatus(auth)).toBe(200);

      await rows(`UPDATE auth.users SET role = 'user' WHERE id = $1`, [temp.user.id]);
      expect(await guardStatus(auth)).toBe(401);

      await rows(`UPDATE auth.users SET role = 'admin', banned = true WHERE id = $1`, [
        temp.user.id,
      ]);
      expect(await guardStatus(auth)).toBe(401);

      await rows(`UPDATE auth.users SET banned = false WHERE id = $1`, [temp.user.id]);
      expect(await guardStatus(auth)).toBe(200);
      expect(await guardStatus(ivy.auth)).toBe(200);
    });

    it('deletes the impersonation sessions an admin opened with that admin', async () => {
      const temp = await newAdmin(sut);
      const { body } = await impersonate(ivy.user.id, temp);

      await http().delete(`/users/${temp.user.id}`).set(temp.auth).expect(204);

      expect(await rows(`SELECT id FROM auth.sessions WHERE id = $1`, [body.session.id])).toEqual(
        [],
      );
      expect(await guardStatus(ivy.auth)).toBe(200);
    });
  });

  describe('npm run admin:grant', () => {
    it("makes a signed-up user an admin; the user's current session is an admin's at once", async () => {
      const ada = await signUp(sut, { email: 'ada@example.com', name: 'Ada' });
      await http().get('/users').set(ada.auth).expect(403);

      const result = await npmRun('admin:grant', ['ada@example.com'], {
        DATABASE_URL: sut.database.url,
      });

      expect(result).toEqual({
        code: 0,
        stdout: `User ${ada.user.id} (ada@example.com) is now an admin\n`,
        stderr: '',
      });
      await http().get('/users').set(ada.auth).expect(200);
      await http().get('/api/auth/admin/list-users').set(ada.auth).expect(200);
      expect((await http().get('/sessions/current').set(ada.auth).expect(200)).body.user.role).toBe(
        'admin',
      );
    });

    it('exits 1 with one line for an unknown email', async () => {
      const result = await npmRun('admin:grant', ['nobody@example.com'], {
        DATABASE_URL: sut.database.url,
      });

      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: 'No user has the email nobody@example.com: nothing changed\n',
      });
    });
  });
});
