import { newAdmin, newEmail, type SignedIn, signIn, signUp } from '../helpers/auth';
import { newUser } from '../helpers/factories';
import { createTestApp, type TestApp } from '../helpers/test-app';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
/** The message of `SafeText`, after the field name. */
const SAFE_TEXT = 'must not contain NUL (U+0000) or unpaired UTF-16 surrogate characters';

describe('/users', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);
  let ann: SignedIn;
  let bob: SignedIn;
  let root: SignedIn;

  beforeAll(async () => {
    sut = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
    ann = await signUp(sut, { email: 'ann@example.com', name: 'Ann' });
    bob = await signUp(sut, { email: 'bob@example.com', name: 'Bob' });
    root = await newAdmin(sut, { email: 'root@example.com' });
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('creation', () => {
    it('has no POST /users: users come from sign-up only', async () => {
      await http()
        .post('/users')
        .set(ann.auth)
        .send({ email: 'x@example.com', name: 'X' })
        .expect(404);
      expect(await rows(`SELECT id FROM auth.users WHERE email = 'x@example.com'`)).toEqual([]);
    });

    it('lets exactly one of many concurrent sign-ups with the same email through, in any case', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          http()
            .post('/api/auth/sign-up/email')
            .send({
              email: i % 2 ? 'Race@Example.com' : 'race@example.com',
              name: `Racer ${i}`,
              password: 'correct horse battery staple',
            })
            .then((r) => r.status),
        ),
      );

      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      expect(
        await rows(
          `SELECT count(*)::int AS n FROM auth.users WHERE lower(email) = 'race@example.com'`,
        ),
      ).toEqual([{ n: 1 }]);
    });
  });

  const annAsStored = () => ({
    id: ann.user.id,
    email: 'ann@example.com',
    emailVerified: false,
    name: 'Ann',
    image: null,
    phoneNumber: null,
    phoneNumberVerified: false,
    role: 'user',
    banned: false,
    banExpires: null,
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
  });

  describe('GET /users/me', () => {
    it("answers 200 with the caller's own user, with its role and never a ban reason", async () => {
      await rows(
        `UPDATE auth.users SET ban_reason = 'an old ban', ban_expires = now() - interval '1 day'
          WHERE id = $1`,
        [ann.user.id],
      );
      try {
        const response = await http().get('/users/me').set(ann.auth).expect(200);

        expect(response.body).toEqual({ ...annAsStored(), banExpires: expect.any(String) });
        expect(JSON.stringify(response.body)).not.toContain('an old ban');
      } finally {
        await rows(`UPDATE auth.users SET ban_reason = NULL, ban_expires = NULL WHERE id = $1`, [
          ann.user.id,
        ]);
      }
    });

    it('answers 401 without a session', async () => {
      await http().get('/users/me').expect(401);
    });
  });

  describe('GET /users/:id', () => {
    it("answers 200 with the caller's own user", async () => {
      const response = await http().get(`/users/${ann.user.id}`).set(ann.auth).expect(200);

      expect(response.body).toEqual(annAsStored());
    });

    it("answers 404 for another user's id, exactly as for an unknown one", async () => {
      const other = await http().get(`/users/${bob.user.id}`).set(ann.auth).expect(404);
      const unknown = await http().get(`/users/${UNKNOWN}`).set(ann.auth).expect(404);

      expect(other.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `User ${bob.user.id} not found`,
      });
      expect(unknown.body.message).toBe(`User ${UNKNOWN} not found`);
    });

    it('answers 400 naming id for a malformed uuid', async () => {
      const response = await http().get('/users/not-a-uuid').set(ann.auth).expect(400);

      expect(response.body.details).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    });

    it('answers 401 with WWW-Authenticate without a session', async () => {
      const response = await http().get(`/users/${ann.user.id}`).expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'A session is required',
      });
    });
  });

  describe('GET /users (admins only)', () => {
    it.each([
      ['a page', {}],
      ['a search by email', { email: 'ann@example.com' }],
    ])('answers 403 to a user who is not an admin, for %s', async (_case, query) => {
      const response = await http().get('/users').set(ann.auth).query(query).expect(403);

      expect(response.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'This route requires the admin role',
      });
    });

    it('finds a user by email in any case', async () => {
      const response = await http()
        .get('/users')
        .set(root.auth)
        .query({ email: ' BOB@Example.com ' })
        .expect(200);

      expect((response.body as { id: string }[]).map((user) => user.id)).toEqual([bob.user.id]);
    });

    it('finds a user whose email another writer stored in mixed case', async () => {
      await newUser(sut.dataSource, { email: 'Mixed.Case@Example.com', name: 'M' });

      const response = await http()
        .get('/users')
        .set(root.auth)
        .query({ email: 'mixed.case@example.com' })
        .expect(200);

      expect((response.body as { email: string }[]).map((user) => user.email)).toEqual([
        'Mixed.Case@Example.com',
      ]);
    });

    it('answers an empty list for an unknown email', async () => {
      const response = await http()
        .get('/users')
        .set(root.auth)
        .query({ email: 'nobody@example.com' })
        .expect(200);

      expect(response.body).toEqual([]);
    });

    it('pages through users, newest first', async () => {
      const first = await signUp(sut);
      const second = await signUp(sut);

      const page = await http()
        .get('/users')
        .set(root.auth)
        .query({ limit: 2, offset: 0 })
        .expect(200);

      expect((page.body as { id: string }[]).map((user) => user.id)).toEqual([
        second.user.id,
        first.user.id,
      ]);
    });

    it.each([
      [{ limit: 0 }, 'limit', 'limit must not be less than 1'],
      [{ limit: 101 }, 'limit', 'limit must not be greater than 100'],
      [{ limit: 'many' }, 'limit', 'limit must be an integer number'],
      [{ offset: -1 }, 'offset', 'offset must not be less than 0'],
      [{ offset: '1000001' }, 'offset', 'offset must not be greater than 1000000'],
      [{ offset: '1e21' }, 'offset', 'offset must be an integer number'],
      // Only plain decimal digits: Number() would read these as 100, 16 and 5.
      [{ limit: '1e2' }, 'limit', 'limit must be an integer number'],
      [{ limit: '0x10' }, 'limit', 'limit must be an integer number'],
      [{ limit: ' 5' }, 'limit', 'limit must be an integer number'],
      [{ email: 'a\u0000@example.com' }, 'email', `email ${SAFE_TEXT}`],
      [{ email: '' }, 'email', 'email must be an email address'],
      [{ sort: 'name' }, 'sort', 'property sort should not exist'],
    ])('answers 400 naming the field for %j', async (query, field, message) => {
      const response = await http().get('/users').set(root.auth).query(query).expect(400);

      expect(response.body.details).toEqual([{ field, message }]);
    });

    it('answers 401 without a session', async () => {
      await http().get('/users').expect(401);
    });
  });

  describe('PATCH /users/:id', () => {
    it('changes the given fields, keeps the others and moves updatedAt', async () => {
      const carol = await signUp(sut, { email: newEmail('carol'), name: 'Before' });
      await rows(`UPDATE auth.users SET email_verified = true WHERE id = $1`, [carol.user.id]);
      // Read after the raw UPDATE, which moves updated_at too: only the PATCH can move it again.
      const [before] = await rows(`SELECT updated_at FROM auth.users WHERE id = $1`, [
        carol.user.id,
      ]);

      const response = await http()
        .patch(`/users/${carol.user.id}`)
        .set(carol.auth)
        .send({ name: 'After', image: 'https://img.test/b.png' })
        .expect(200);

      expect(response.body).toMatchObject({
        id: carol.user.id,
        email: carol.user.email,
        emailVerified: true,
        name: 'After',
        image: 'https://img.test/b.png',
      });
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThan(
        (before!.updated_at as Date).getTime(),
      );
      expect(
        await rows(`SELECT name, image FROM auth.users WHERE id = $1`, [carol.user.id]),
      ).toEqual([{ name: 'After', image: 'https://img.test/b.png' }]);
    });

    it('normalizes a new email and marks it unverified; image null removes the image', async () => {
      const dan = await signUp(sut);
      await rows(
        `UPDATE auth.users SET email_verified = true, image = 'https://img.test/c.png' WHERE id = $1`,
        [dan.user.id],
      );

      const response = await http()
        .patch(`/users/${dan.user.id}`)
        .set(dan.auth)
        .send({ email: ' Dan.New@Example.com', image: null })
        .expect(200);

      expect(response.body).toMatchObject({
        email: 'dan.new@example.com',
        emailVerified: false,
        image: null,
      });
    });

    it('answers 409 naming email when the new email is taken in another case', async () => {
      const mover = await signUp(sut);

      const response = await http()
        .patch(`/users/${mover.user.id}`)
        .set(mover.auth)
        .send({ email: 'ANN@example.com' })
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'email is already taken',
        details: [{ field: 'email', message: 'email is already taken' }],
      });
      expect(await rows(`SELECT email FROM auth.users WHERE id = $1`, [mover.user.id])).toEqual([
        { email: mover.user.email },
      ]);
    });

    it.each([
      [{ name: null }, 'name', 'name must be a string'],
      [{ email: null }, 'email', 'email must be an email address'],
      [{ name: '' }, 'name', 'name must not be blank'],
      [{ name: ' \t\n ' }, 'name', 'name must not be blank'],
      [{ name: '\u200b\u200c\u200d\u2060\ufeff' }, 'name', 'name must not be blank'],
      [{ name: ' \u200b ' }, 'name', 'name must not be blank'],
      [{ name: 'A\u0000B' }, 'name', `name ${SAFE_TEXT}`],
      [{ name: 'A\ud800' }, 'name', `name ${SAFE_TEXT}`],
      [{ name: '\udfffA' }, 'name', `name ${SAFE_TEXT}`],
      [{ email: 'ann\u0000@example.com' }, 'email', `email ${SAFE_TEXT}`],
      [{ image: 'https://img.test/\ud800.png' }, 'image', `image ${SAFE_TEXT}`],
      [{ email: 'nope' }, 'email', 'email must be an email address'],
      [{ image: 'no url' }, 'image', 'image must be a URL'],
      [{ emailVerified: true }, 'emailVerified', 'property emailVerified should not exist'],
      [{ role: 'admin' }, 'role', 'property role should not exist'],
      [{ banned: false }, 'banned', 'property banned should not exist'],
    ])('answers 400 naming the field for %j and changes nothing', async (body, field, message) => {
      const response = await http()
        .patch(`/users/${ann.user.id}`)
        .set(ann.auth)
        .send(body)
        .expect(400);

      expect(response.body.details).toEqual([{ field, message }]);
      expect(
        await rows(`SELECT name, email, email_verified, role FROM auth.users WHERE id = $1`, [
          ann.user.id,
        ]),
      ).toEqual([{ name: 'Ann', email: 'ann@example.com', email_verified: false, role: 'user' }]);
    });

    it("answers 404 for another user's id and changes nothing; 400 for a malformed one", async () => {
      await http()
        .patch(`/users/${bob.user.id}`)
        .set(ann.auth)
        .send({ name: 'Hijacked' })
        .expect(404);
      await http().patch(`/users/${UNKNOWN}`).set(ann.auth).send({ name: 'X' }).expect(404);
      await http().patch('/users/nope').set(ann.auth).send({ name: 'X' }).expect(400);

      expect(await rows(`SELECT name FROM auth.users WHERE id = $1`, [bob.user.id])).toEqual([
        { name: 'Bob' },
      ]);
    });

    it('answers 400 naming the body for malformed JSON', async () => {
      const response = await http()
        .patch(`/users/${ann.user.id}`)
        .set(ann.auth)
        .set('Content-Type', 'application/json')
        .send('{"name": "x",')
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'body must be valid JSON',
        details: [{ field: 'body', message: 'body must be valid JSON' }],
      });
    });

    it('answers 413 for a body over BODY_LIMIT_BYTES and changes nothing', async () => {
      const response = await http()
        .patch(`/users/${ann.user.id}`)
        .set(ann.auth)
        .send({ name: 'x'.repeat(4096) })
        .expect(413);

      expect(response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'The request body is too large',
      });
      expect(await rows(`SELECT name FROM auth.users WHERE id = $1`, [ann.user.id])).toEqual([
        { name: 'Ann' },
      ]);
    });
  });

  describe('email normalisation (one form: lower case, ASCII domain)', () => {
    const UNICODE = 'User@B\u00fccher.example';
    const ASCII = 'user@xn--bcher-kva.example';

    it('signs up with an internationalised domain and signs in with its punycode form', async () => {
      const signedUp = await signUp(sut, { email: UNICODE });

      expect(signedUp.user.email).toBe(ASCII);
      const signedIn = await signIn(sut, ASCII);
      expect(signedIn.user.id).toBe(signedUp.user.id);
      expect((await signIn(sut, ' USER@B\u00dcCHER.example ')).user.id).toBe(signedUp.user.id);
      expect(
        await rows(`SELECT email FROM auth.users WHERE lower(email) LIKE 'user@%bcher%'`),
      ).toEqual([{ email: ASCII }]);
      const again = await http()
        .post('/api/auth/sign-up/email')
        .send({ email: ASCII.toUpperCase(), name: 'Twin', password: 'another long password' });
      expect(again.status).toBe(422);
    });

    it('finds the user by either form through GET /users?email=', async () => {
      const { user } = await signUp(sut, { email: 'ada@B\u00fccher-club.example' });

      for (const email of ['ADA@b\u00fccher-club.example', 'ada@xn--bcher-club-9db.example']) {
        const response = await http().get('/users').set(root.auth).query({ email }).expect(200);
        expect((response.body as { id: string }[]).map((found) => found.id)).toEqual([user.id]);
      }
    });

    it('stores a new email of PATCH /users/:id in the same form, and 409s on the other form', async () => {
      const [eve, mallory] = [await signUp(sut), await signUp(sut)];
      const patchEmail = (as: SignedIn, email: string) =>
        http().patch(`/users/${as.user.id}`).set(as.auth).send({ email });

      const response = await patchEmail(eve, 'Eve@M\u00fcnchen.example').expect(200);

      expect(response.body).toMatchObject({ email: 'eve@xn--mnchen-3ya.example' });
      await patchEmail(mallory, 'eve@xn--mnchen-3ya.example').expect(409);
      await patchEmail(mallory, 'EVE@m\u00fcnchen.example').expect(409);
    });
  });

  describe('DELETE /users/:id', () => {
    it('answers 204 and removes the user and, by cascade, its sessions; its token stops working', async () => {
      const erin = await signUp(sut);

      await http().delete(`/users/${erin.user.id}`).set(erin.auth).expect(204, '');

      expect(await rows(`SELECT id FROM auth.users WHERE id = $1`, [erin.user.id])).toEqual([]);
      expect(await rows(`SELECT id FROM auth.sessions WHERE user_id = $1`, [erin.user.id])).toEqual(
        [],
      );
      expect(
        await rows(`SELECT count(*)::int AS n FROM auth.sessions WHERE user_id = $1`, [
          bob.user.id,
        ]),
      ).toEqual([{ n: 1 }]);
      await http().get('/sessions/current').set(erin.auth).expect(401);
    });

    it("answers 404 for another user's id and deletes nothing; 400 for a malformed one", async () => {
      await http().delete(`/users/${bob.user.id}`).set(ann.auth).expect(404);
      await http().delete(`/users/${UNKNOWN}`).set(ann.auth).expect(404);
      await http().delete('/users/not-a-uuid').set(ann.auth).expect(400);

      expect(await rows(`SELECT id FROM auth.users WHERE id = $1`, [bob.user.id])).toEqual([
        { id: bob.user.id },
      ]);
    });
  });
});
