import { hashSessionToken } from '../../src/auth/session-token-hash';
import { signToken } from '../../src/auth/signed-token';
import { newSession } from '../helpers/factories';
import { newEmail, PASSWORD, type SignedIn, signIn, signUp } from '../helpers/auth';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Every email and password flow through Better Auth's own endpoints at /api/auth, mounted in the
 * app, with the mail captured so the tests follow the real links; and the agreement between
 * Better Auth's `get-session` and the app's SessionGuard on every session.
 */
describe('auth (Better Auth at /api/auth)', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);
  const getSession = async (headers: Record<string, string>) =>
    (await http().get('/api/auth/get-session').set(headers).expect(200)).body as {
      session: { id: string; userId: string };
      user: { id: string };
    } | null;
  const guardStatus = async (headers: Record<string, string>) =>
    (await http().get('/sessions/current').set(headers)).status;
  const sessionId = async (token: string) =>
    (await rows(`SELECT id FROM auth.sessions WHERE token = $1`, [hashSessionToken(token)]))[0]
      ?.id as string | undefined;

  beforeAll(async () => {
    sut = await createTestApp({ BETTER_AUTH_TRUSTED_ORIGINS: 'https://app.example.com' });
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('sign-up', () => {
    it('creates the user, lower-cased, with a scrypt credential account, and signs it in', async () => {
      const response = await http()
        .post('/api/auth/sign-up/email')
        .send({ email: 'Ada@Example.com', password: PASSWORD, name: 'Ada Lovelace' })
        .expect(200);

      expect(response.body).toEqual({
        token: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
        user: expect.objectContaining({ email: 'ada@example.com', name: 'Ada Lovelace' }),
      });
      const userId = response.body.user.id as string;
      expect(
        await rows(`SELECT email, email_verified FROM auth.users WHERE id = $1`, [userId]),
      ).toEqual([{ email: 'ada@example.com', email_verified: false }]);
      expect(
        await rows(
          `SELECT account_id, provider_id, password FROM auth.accounts WHERE user_id = $1`,
          [userId],
        ),
      ).toEqual([
        {
          account_id: userId,
          provider_id: 'credential',
          password: expect.stringMatching(/^[0-9a-f]{32}:[0-9a-f]{128}$/),
        },
      ]);
      await http()
        .get('/sessions/current')
        .set('Authorization', `Bearer ${response.body.token}`)
        .expect(200);
    });

    it.each([
      ['a malformed email', { email: 'not-an-email', password: PASSWORD, name: 'X' }, 400],
      ['a missing name', { email: newEmail(), password: PASSWORD }, 400],
      ['a password under 8 characters', { email: newEmail(), password: 'short', name: 'X' }, 400],
      [
        'an email taken in another case',
        { email: 'ADA@example.com', password: PASSWORD, name: 'X' },
        422,
      ],
    ])('refuses %s with a 4xx and stores nothing new', async (_case, body, status) => {
      const before = await rows(`SELECT count(*)::int AS n FROM auth.users`);

      const response = await http().post('/api/auth/sign-up/email').send(body).expect(status);

      expect(response.body).toMatchObject({
        code: expect.any(String),
        message: expect.any(String),
      });
      expect(await rows(`SELECT count(*)::int AS n FROM auth.users`)).toEqual(before);
    });

    it('writes the user and its credential account in one transaction: no orphan user', async () => {
      const email = newEmail('orphan');
      await rows(
        `ALTER TABLE auth.accounts ADD CONSTRAINT accounts_refuse_check CHECK (provider_id <> 'credential') NOT VALID`,
      );
      try {
        const response = await http()
          .post('/api/auth/sign-up/email')
          .send({ email, password: PASSWORD, name: 'Orphan' });

        expect(response.status).toBeGreaterThanOrEqual(400);
      } finally {
        await rows(`ALTER TABLE auth.accounts DROP CONSTRAINT accounts_refuse_check`);
      }
      expect(await rows(`SELECT id FROM auth.users WHERE email = $1`, [email])).toEqual([]);
    });
  });

  describe('sign-in and sign-out', () => {
    let grace: SignedIn;

    beforeAll(async () => {
      grace = await signUp(sut, { email: 'grace@example.com', name: 'Grace' });
    });

    it('signs in with the right password: a new session every time', async () => {
      const first = await signIn(sut, 'GRACE@example.com');
      const second = await signIn(sut, 'grace@example.com');

      expect(first.token).not.toBe(second.token);
      expect(first.user.id).toBe(grace.user.id);
      expect(await guardStatus(first.auth)).toBe(200);
      expect(await guardStatus({ Cookie: second.cookie })).toBe(200);
    });

    it.each([
      ['a wrong password', { email: 'grace@example.com', password: 'wrong horse battery' }],
      ['an unknown email', { email: 'nobody@example.com', password: PASSWORD }],
    ])('answers 401 INVALID_EMAIL_OR_PASSWORD for %s, with no session', async (_case, body) => {
      const before = await rows(`SELECT count(*)::int AS n FROM auth.sessions`);

      const response = await http().post('/api/auth/sign-in/email').send(body).expect(401);

      expect(response.body).toMatchObject({ code: 'INVALID_EMAIL_OR_PASSWORD' });
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await rows(`SELECT count(*)::int AS n FROM auth.sessions`)).toEqual(before);
    });

    it('answers 400 for a malformed sign-in body', async () => {
      const response = await http().post('/api/auth/sign-in/email').send({ email: 42 }).expect(400);

      expect(response.body).toMatchObject({ code: expect.any(String) });
    });

    it.each([
      ['the bearer token', (s: SignedIn) => s.auth],
      [
        'the session cookie (from the app origin, as a browser sends it)',
        (s: SignedIn) => ({ Cookie: s.cookie, Origin: 'http://localhost:3000' }),
      ],
    ])('signs out with %s: the session row goes and the guard refuses it', async (_f, headers) => {
      const session = await signIn(sut, 'grace@example.com');
      const id = await sessionId(session.token);

      await http().post('/api/auth/sign-out').set(headers(session)).send({}).expect(200);

      expect(await rows(`SELECT id FROM auth.sessions WHERE id = $1`, [id])).toEqual([]);
      expect(await guardStatus(session.auth)).toBe(401);
      expect(await guardStatus({ Cookie: session.cookie })).toBe(401);
    });
  });

  describe('trusted origins', () => {
    it('refuses a cookie-authenticated sign-out from an untrusted Origin, and takes one from BETTER_AUTH_TRUSTED_ORIGINS', async () => {
      const session = await signUp(sut);

      const refused = await http()
        .post('/api/auth/sign-out')
        .set({ Cookie: session.cookie, Origin: 'https://evil.example.com' })
        .send({});
      const missing = await http()
        .post('/api/auth/sign-out')
        .set({ Cookie: session.cookie })
        .send({});
      expect([refused.status, missing.status]).toEqual([403, 403]);
      expect(refused.body).toMatchObject({ code: 'INVALID_ORIGIN' });
      expect(await guardStatus({ Cookie: session.cookie })).toBe(200);

      await http()
        .post('/api/auth/sign-out')
        .set({ Cookie: session.cookie, Origin: 'https://app.example.com' })
        .send({})
        .expect(200);
      expect(await guardStatus({ Cookie: session.cookie })).toBe(401);
    });
  });

  describe('change password', () => {
    it('changes it, revokes the other sessions on request, and only the new password signs in', async () => {
      const hugo = await signUp(sut);
      const other = await signIn(sut, hugo.user.email);

      const response = await http()
        .post('/api/auth/change-password')
        .set(hugo.auth)
        .send({
          currentPassword: PASSWORD,
          newPassword: 'a brand new passphrase',
          revokeOtherSessions: true,
        })
        .expect(200);

      const current = response.body.token as string;
      expect(await guardStatus({ Authorization: `Bearer ${current}` })).toBe(200);
      expect(await guardStatus(other.auth)).toBe(401);
      await http()
        .post('/api/auth/sign-in/email')
        .send({ email: hugo.user.email, password: PASSWORD })
        .expect(401);
      await signIn(sut, hugo.user.email, { password: 'a brand new passphrase' });
    });

    it('answers 400 INVALID_PASSWORD for a wrong current password, and 401 without a session', async () => {
      const ivy = await signUp(sut);

      const wrong = await http()
        .post('/api/auth/change-password')
        .set(ivy.auth)
        .send({ currentPassword: 'not my password', newPassword: 'another passphrase' })
        .expect(400);
      await http()
        .post('/api/auth/change-password')
        .send({ currentPassword: PASSWORD, newPassword: 'another passphrase' })
        .expect(401);

      expect(wrong.body).toMatchObject({ code: 'INVALID_PASSWORD' });
      await signIn(sut, ivy.user.email);
    });
  });

  describe('forgotten password', () => {
    it('mails a reset link whose token lives in auth.verifications; the reset works once and signs every session out', async () => {
      const jane = await signUp(sut);

      await http()
        .post('/api/auth/request-password-reset')
        .send({ email: jane.user.email, redirectTo: '/reset' })
        .expect(200);

      const link = sut.mailer.lastLink(jane.user.email, 'Reset your password');
      const token = link.pathname.split('/').pop()!;
      expect(link.pathname).toBe(`/api/auth/reset-password/${token}`);
      expect(
        await rows(`SELECT count(*)::int AS n FROM auth.verifications WHERE identifier = $1`, [
          `reset-password:${token}`,
        ]),
      ).toEqual([{ n: 1 }]);

      const opened = await http().get(`${link.pathname}${link.search}`).expect(302);
      expect(opened.headers.location).toBe(`http://localhost:3000/reset?token=${token}`);
      await http()
        .post('/api/auth/reset-password')
        .send({ token, newPassword: 'reset passphrase 1' })
        .expect(200);

      expect(await guardStatus(jane.auth)).toBe(401);
      await signIn(sut, jane.user.email, { password: 'reset passphrase 1' });
      const reused = await http()
        .post('/api/auth/reset-password')
        .send({ token, newPassword: 'reset passphrase 2' })
        .expect(400);
      expect(reused.body).toMatchObject({ code: 'INVALID_TOKEN' });
      await signIn(sut, jane.user.email, { password: 'reset passphrase 1' });
    });

    it('answers 200 for an unknown email too, and sends nothing', async () => {
      const sent = sut.mailer.messages.length;

      await http()
        .post('/api/auth/request-password-reset')
        .send({ email: 'nobody@example.com', redirectTo: '/reset' })
        .expect(200);

      expect(sut.mailer.messages).toHaveLength(sent);
    });

    it('answers 400 INVALID_TOKEN for a made-up token', async () => {
      const response = await http()
        .post('/api/auth/reset-password')
        .send({ token: 'made-up-token', newPassword: 'reset passphrase 3' })
        .expect(400);

      expect(response.body).toMatchObject({ code: 'INVALID_TOKEN' });
    });
  });

  describe("Better Auth's get-session and the app's SessionGuard agree", () => {
    let kim: SignedIn;

    beforeAll(async () => {
      kim = await signUp(sut, { email: 'kim@example.com', name: 'Kim' });
    });

    it('on a session from sign-in, in every token form', async () => {
      const session = await signIn(sut, 'kim@example.com');
      const id = await sessionId(session.token);

      for (const headers of [
        session.auth,
        { Authorization: `Bearer ${session.signedToken}` },
        { Cookie: session.cookie },
      ]) {
        expect((await getSession(headers))?.session.id).toBe(id);
        expect(await guardStatus(headers)).toBe(200);
      }
    });

    it('on a session stored as the app stores one', async () => {
      const stored = await newSession(sut.dataSource, kim.user.id);

      expect((await getSession({ Authorization: `Bearer ${stored.token}` }))?.session.id).toBe(
        stored.id,
      );
      expect(await guardStatus({ Authorization: `Bearer ${stored.token}` })).toBe(200);
    });

    it('on a session revoked by the app (DELETE /sessions/current)', async () => {
      const session = await signIn(sut, 'kim@example.com');

      await http().delete('/sessions/current').set(session.auth).expect(204);

      expect(await getSession({ Cookie: session.cookie })).toBeNull();
      expect(await guardStatus({ Cookie: session.cookie })).toBe(401);
    });

    it("on sessions revoked by Better Auth's revoke-sessions", async () => {
      const first = await signIn(sut, 'kim@example.com');
      const second = await signIn(sut, 'kim@example.com');

      await http().post('/api/auth/revoke-sessions').set(first.auth).send({}).expect(200);

      for (const session of [first, second]) {
        expect(await getSession(session.auth)).toBeNull();
        expect(await guardStatus(session.auth)).toBe(401);
      }
    });

    it('on an expired session', async () => {
      const session = await signIn(sut, 'kim@example.com');
      await rows(
        `UPDATE auth.sessions SET expires_at = now() - interval '1 second' WHERE token = $1`,
        [hashSessionToken(session.token)],
      );

      expect(await getSession(session.auth)).toBeNull();
      expect(await guardStatus(session.auth)).toBe(401);
    });
  });
});

describe('session tokens at rest (auth.sessions.token holds their SHA-256)', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);
  const getSession = async (headers: Record<string, string>) =>
    (await http().get('/api/auth/get-session').set(headers).expect(200)).body as {
      session: { id: string; token: string; expiresAt: string };
    } | null;
  const guardStatus = async (headers: Record<string, string>) =>
    (await http().get('/sessions/current').set(headers)).status;
  const listSessions = async (session: SignedIn) =>
    (await http().get('/api/auth/list-sessions').set(session.auth).expect(200)).body as {
      id: string;
      token: string;
    }[];
  const sessionIds = async (userId: string) =>
    (await rows(`SELECT id FROM auth.sessions WHERE user_id = $1 ORDER BY id`, [userId])).map(
      (row) => row.id as string,
    );
  const idOf = async (token: string) =>
    (await rows(`SELECT id FROM auth.sessions WHERE token = $1`, [hashSessionToken(token)]))[0]
      ?.id as string;
  const cookieOf = (token: string) =>
    `better-auth.session_token=${encodeURIComponent(signToken(token, sut.secret))}`;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('stores the SHA-256 of the token after sign-in, and neither the token nor its signed forms', async () => {
    const session = await signUp(sut);

    const table = (await rows(`SELECT s::text AS line FROM auth.sessions s`)).map(
      (row) => row.line as string,
    );

    const forms = [session.token, session.signedToken, encodeURIComponent(session.signedToken)];
    for (const form of forms) {
      expect(table.filter((line) => line.includes(form))).toEqual([]);
    }
    expect(
      await rows(`SELECT token FROM auth.sessions WHERE user_id = $1`, [session.user.id]),
    ).toEqual([{ token: hashSessionToken(session.token) }]);
  });

  it.each([
    ['a bearer token', (hash: string) => ({ Authorization: `Bearer ${hash}` })],
    [
      'a signed bearer token (even signed with the secret)',
      (hash: string) => ({ Authorization: `Bearer ${signToken(hash, sut.secret)}` }),
    ],
    [
      'a signed cookie (even signed with the secret)',
      (hash: string) => ({ Cookie: cookieOf(hash) }),
    ],
  ])(
    'refuses a stolen hash presented as %s: 401 from the guard, null from get-session',
    async (_form, headers) => {
      const session = await signUp(sut);
      const [{ token: stolen }] = (await rows(
        `SELECT token FROM auth.sessions WHERE user_id = $1`,
        [session.user.id],
      )) as [{ token: string }];

      expect(await guardStatus(headers(stolen))).toBe(401);
      expect(await getSession(headers(stolen))).toBeNull();
      expect(await guardStatus(session.auth)).toBe(200);
      expect(await sessionIds(session.user.id)).toEqual([await idOf(session.token)]);
    },
  );

  it('renews a due session through get-session and re-signs the cookie with the raw token', async () => {
    const session = await signUp(sut);
    await rows(`UPDATE auth.sessions SET expires_at = now() + interval '1 hour' WHERE token = $1`, [
      hashSessionToken(session.token),
    ]);

    const response = await http().get('/api/auth/get-session').set({ Cookie: session.cookie });

    expect(response.status).toBe(200);
    expect(response.body.session.token).toBe(session.token);
    expect(response.headers['set-cookie']).toEqual(
      expect.arrayContaining([expect.stringContaining(`${cookieOf(session.token)};`)]),
    );
    const [row] = await rows(`SELECT expires_at FROM auth.sessions WHERE token = $1`, [
      hashSessionToken(session.token),
    ]);
    expect((row!.expires_at as Date).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  });

  it("list-sessions shows each session's hash, never a token", async () => {
    const first = await signUp(sut);
    const second = await signIn(sut, first.user.email);

    const listed = await listSessions(second);

    expect(listed.map((s) => s.token).sort()).toEqual(
      [first.token, second.token].map(hashSessionToken).sort(),
    );
    const body = JSON.stringify(listed);
    expect(body).not.toContain(first.token);
    expect(body).not.toContain(second.token);
  });

  it('revoke-session takes the hash that list-sessions shows, or the token, and only for the caller', async () => {
    const ada = await signUp(sut);
    const byHash = await signIn(sut, ada.user.email);
    const byToken = await signIn(sut, ada.user.email);
    const eve = await signUp(sut);
    const hashOf = async (session: SignedIn) => {
      const id = await idOf(session.token);
      return (await listSessions(ada)).find((s) => s.id === id)!.token;
    };
    const byHashValue = await hashOf(byHash);

    await http()
      .post('/api/auth/revoke-session')
      .set(eve.auth)
      .send({ token: byHashValue })
      .expect(200);
    expect(await guardStatus(byHash.auth)).toBe(200);

    await http()
      .post('/api/auth/revoke-session')
      .set(ada.auth)
      .send({ token: byHashValue })
      .expect(200);
    await http()
      .post('/api/auth/revoke-session')
      .set(ada.auth)
      .send({ token: byToken.token })
      .expect(200);

    for (const revoked of [byHash, byToken]) {
      expect(await guardStatus(revoked.auth)).toBe(401);
      expect(await getSession(revoked.auth)).toBeNull();
    }
    expect(await sessionIds(ada.user.id)).toEqual([await idOf(ada.token)]);
    expect(await guardStatus(eve.auth)).toBe(200);
  });

  it("revoke-session on the caller's own hash ends that session and clears its cookie", async () => {
    const session = await signUp(sut);
    const [listed] = await listSessions(session);

    const response = await http()
      .post('/api/auth/revoke-session')
      .set({ Cookie: session.cookie, Origin: 'http://localhost:3000' })
      .send({ token: listed!.token })
      .expect(200);

    expect(response.headers['set-cookie']).toEqual(
      expect.arrayContaining([expect.stringMatching(/^better-auth\.session_token=;.*Max-Age=0/)]),
    );
    expect(await sessionIds(session.user.id)).toEqual([]);
  });

  it('revoke-other-sessions keeps the current session and ends the others', async () => {
    const current = await signUp(sut);
    const others = [await signIn(sut, current.user.email), await signIn(sut, current.user.email)];
    const bystander = await signUp(sut);

    await http().post('/api/auth/revoke-other-sessions').set(current.auth).send({}).expect(200);

    expect(await sessionIds(current.user.id)).toEqual([await idOf(current.token)]);
    expect(await guardStatus(current.auth)).toBe(200);
    for (const other of others) expect(await guardStatus(other.auth)).toBe(401);
    expect(await guardStatus(bystander.auth)).toBe(200);
  });
});

describe('auth with REQUIRE_EMAIL_VERIFICATION=true', () => {
  let sut: TestApp;
  const http = () => sut.http();

  beforeAll(async () => {
    sut = await createTestApp({ REQUIRE_EMAIL_VERIFICATION: 'true' });
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('signs up without a session, refuses sign-in until the mailed link is followed, then signs in', async () => {
    const email = newEmail('verify');

    const signUpResponse = await http()
      .post('/api/auth/sign-up/email')
      .send({ email, password: PASSWORD, name: 'Vera' })
      .expect(200);
    expect(signUpResponse.body.token).toBeNull();
    const refused = await http()
      .post('/api/auth/sign-in/email')
      .send({ email, password: PASSWORD })
      .expect(403);
    expect(refused.body).toMatchObject({ code: 'EMAIL_NOT_VERIFIED' });

    const link = sut.mailer.lastLink(email, 'Verify your email address');
    expect(link.pathname).toBe('/api/auth/verify-email');
    await http().get(`${link.pathname}${link.search}`).expect(302);

    expect(
      await sut.rows(`SELECT email_verified FROM auth.users WHERE email = $1`, [email]),
    ).toEqual([{ email_verified: true }]);
    const signed = await signIn(sut, email);
    await http().get('/sessions/current').set(signed.auth).expect(200);
  });

  it('refuses a tampered verification link and leaves the email unverified', async () => {
    const email = newEmail('tamper');
    await http()
      .post('/api/auth/sign-up/email')
      .send({ email, password: PASSWORD, name: 'T' })
      .expect(200);
    const link = sut.mailer.lastLink(email, 'Verify your email address');
    const token = link.searchParams.get('token')!;
    // The first character of the JWT's signature always carries data bits (the last may not).
    const at = token.lastIndexOf('.') + 1;
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;

    const response = await http().get('/api/auth/verify-email').query({ token: tampered });

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(
      await sut.rows(`SELECT email_verified FROM auth.users WHERE email = $1`, [email]),
    ).toEqual([{ email_verified: false }]);
  });
});
