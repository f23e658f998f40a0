import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('/users', () => {
  let sut: TestApp;
  const http = () => sut.http();
  const rows = (sql: string, params: unknown[] = []) => sut.rows(sql, params);
  const createUser = (email: string, name = 'Ann') =>
    http().post('/users').send({ email, name }).expect(201);

  beforeAll(async () => {
    sut = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('POST /users', () => {
    it('creates a user with the email trimmed and lower-cased, and answers 201 with it', async () => {
      const response = await http()
        .post('/users')
        .send({ email: '  Ann.Lee@Example.COM ', name: 'Ann Lee', image: 'https://img.test/a.png' })
        .expect(201);

      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: 'ann.lee@example.com',
        emailVerified: false,
        name: 'Ann Lee',
        image: 'https://img.test/a.png',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(
        await rows('SELECT email, name, email_verified FROM auth.users WHERE id = $1', [
          response.body.id,
        ]),
      ).toEqual([{ email: 'ann.lee@example.com', name: 'Ann Lee', email_verified: false }]);
    });

    it('answers 409 for an email that is taken in another case, and stores nothing', async () => {
      await createUser('bob@example.com', 'Bob');

      const response = await http()
        .post('/users')
        .send({ email: 'BOB@example.com', name: 'Bob 2' })
        .expect(409);

      expect(response.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'email is already taken',
        details: [{ field: 'email', message: 'email is already taken' }],
      });
      expect(await rows(`SELECT name FROM auth.users WHERE email = 'bob@example.com'`)).toEqual([
        { name: 'Bob' },
      ]);
    });

    it('lets exactly one of many concurrent sign-ups with the same email through', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          http()
            .post('/users')
            .send({ email: 'race@example.com', name: `Racer ${i}` })
            .then((r) => r.status),
        ),
      );

      expect(statuses.sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      expect(
        await rows(`SELECT count(*)::int AS n FROM auth.users WHERE email = 'race@example.com'`),
      ).toEqual([{ n: 1 }]);
    });

    it.each([
      [{ email: 'not-an-email', name: 'X' }, 'email', 'email must be an email address'],
      [{ name: 'X' }, 'email', 'email must be an email address'],
      [{ email: 'x@example.com' }, 'name', 'name must be a string'],
      [{ email: 'x@example.com', name: '' }, 'name', 'name should not be empty'],
      [{ email: 'x@example.com', name: 'X', image: 'no url' }, 'image', 'image must be a URL'],
      [
        { email: 'x@example.com', name: 'X', role: 'admin' },
        'role',
        'property role should not exist',
      ],
      [{ email: 42, name: 'X' }, 'email', 'email must be an email address'],
    ])('answers 400 naming the field for %j', async (body, field, message) => {
      const response = await http().post('/users').send(body).expect(400);

      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(response.body.details).toContainEqual({ field, message });
    });

    it('answers 400 naming the body for malformed JSON', async () => {
      const response = await http()
        .post('/users')
        .set('Content-Type', 'application/json')
        .send('{"email": "x@example.com",')
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'body must be valid JSON',
        details: [{ field: 'body', message: 'body must be valid JSON' }],
      });
    });

    it('answers 413 for a body over BODY_LIMIT_BYTES and stores nothing', async () => {
      const response = await http()
        .post('/users')
        .send({ email: 'big@example.com', name: 'x'.repeat(4096) })
        .expect(413);

      expect(response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'The request body is too large',
      });
      expect(await rows(`SELECT id FROM auth.users WHERE email = 'big@example.com'`)).toEqual([]);
    });
  });

  describe('GET /users/:id', () => {
    it('answers 200 with the user', async () => {
      const created = await createUser('get@example.com');

      const response = await http().get(`/users/${created.body.id}`).expect(200);

      expect(response.body).toEqual(created.body);
    });

    it('answers 404 for an unknown id', async () => {
      const response = await http().get('/users/00000000-0000-4000-8000-000000000000').expect(404);

      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'User 00000000-0000-4000-8000-000000000000 not found',
      });
    });

    it('answers 400 naming id for a malformed uuid', async () => {
      const response = await http().get('/users/12345').expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'id must be a UUID',
        details: [{ field: 'id', message: 'id must be a UUID' }],
      });
    });
  });

  describe('GET /users', () => {
    it('finds a user by email in any case', async () => {
      const created = await createUser('find.me@example.com');

      const response = await http()
        .get('/users')
        .query({ email: ' FIND.me@Example.com ' })
        .expect(200);

      expect(response.body).toEqual([created.body]);
    });

    it('answers an empty list for an unknown email', async () => {
      const response = await http()
        .get('/users')
        .query({ email: 'nobody@example.com' })
        .expect(200);

      expect(response.body).toEqual([]);
    });

    it('answers 400 naming email for a malformed email', async () => {
      const response = await http().get('/users').query({ email: 'nope' }).expect(400);

      expect(response.body.details).toEqual([
        { field: 'email', message: 'email must be an email address' },
      ]);
    });

    it('pages through users, newest first', async () => {
      const first = await createUser('page1@example.com');
      const second = await createUser('page2@example.com');

      const page = await http().get('/users').query({ limit: 2, offset: 0 }).expect(200);

      expect((page.body as { id: string }[]).map((user) => user.id)).toEqual([
        second.body.id,
        first.body.id,
      ]);
    });

    it.each([
      [{ limit: 0 }, 'limit', 'limit must not be less than 1'],
      [{ limit: 101 }, 'limit', 'limit must not be greater than 100'],
      [{ limit: 'many' }, 'limit', 'limit must be an integer number'],
      [{ offset: -1 }, 'offset', 'offset must not be less than 0'],
      [{ offset: '1e21' }, 'offset', 'offset must not be greater than 1000000'],
      [{ email: '' }, 'email', 'email must be an email address'],
      [{ sort: 'name' }, 'sort', 'property sort should not exist'],
    ])('answers 400 naming the field for %j', async (query, field, message) => {
      const response = await http().get('/users').query(query).expect(400);

      expect(response.body.details).toEqual([{ field, message }]);
    });
  });

  describe('PATCH /users/:id', () => {
    it('changes the given fields, keeps the others and moves updatedAt', async () => {
      const created = await createUser('patch@example.com', 'Before');
      await sut.dataSource.query(`UPDATE auth.users SET email_verified = true WHERE id = $1`, [
        created.body.id,
      ]);

      const response = await http()
        .patch(`/users/${created.body.id}`)
        .send({ name: 'After', image: 'https://img.test/b.png' })
        .expect(200);

      expect(response.body).toMatchObject({
        id: created.body.id,
        email: 'patch@example.com',
        emailVerified: true,
        name: 'After',
        image: 'https://img.test/b.png',
      });
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThan(
        Date.parse(created.body.updatedAt),
      );
      expect(
        await rows(`SELECT name, image FROM auth.users WHERE id = $1`, [created.body.id]),
      ).toEqual([{ name: 'After', image: 'https://img.test/b.png' }]);
    });

    it('normalizes a new email and marks it unverified; image null removes the image', async () => {
      const created = await http()
        .post('/users')
        .send({ email: 'old@example.com', name: 'X', image: 'https://img.test/c.png' })
        .expect(201);
      await sut.dataSource.query(`UPDATE auth.users SET email_verified = true WHERE id = $1`, [
        created.body.id,
      ]);

      const response = await http()
        .patch(`/users/${created.body.id}`)
        .send({ email: ' New@Example.com', image: null })
        .expect(200);

      expect(response.body).toMatchObject({
        email: 'new@example.com',
        emailVerified: false,
        image: null,
      });
    });

    it('answers 409 when the new email is taken', async () => {
      await createUser('taken@example.com');
      const created = await createUser('mover@example.com');

      await http()
        .patch(`/users/${created.body.id}`)
        .send({ email: 'TAKEN@example.com' })
        .expect(409);

      expect(await rows(`SELECT email FROM auth.users WHERE id = $1`, [created.body.id])).toEqual([
        { email: 'mover@example.com' },
      ]);
    });

    it.each([
      [{ name: null }, 'name', 'name must be a string'],
      [{ email: null }, 'email', 'email must be an email address'],
      [{ name: '' }, 'name', 'name should not be empty'],
      [{ email: 'nope' }, 'email', 'email must be an email address'],
    ])('answers 400 naming the field for %j and changes nothing', async (body, field, message) => {
      const created = await createUser(`${randomUUID()}@example.com`, 'Unchanged');

      const response = await http().patch(`/users/${created.body.id}`).send(body).expect(400);

      expect(response.body.details).toEqual([{ field, message }]);
      expect(await rows(`SELECT name FROM auth.users WHERE id = $1`, [created.body.id])).toEqual([
        { name: 'Unchanged' },
      ]);
    });

    it('answers 404 for an unknown id, 400 for a malformed one or a bad field', async () => {
      await http()
        .patch('/users/00000000-0000-4000-8000-000000000000')
        .send({ name: 'X' })
        .expect(404);
      await http().patch('/users/nope').send({ name: 'X' }).expect(400);
      const created = await createUser('badpatch@example.com');
      const response = await http()
        .patch(`/users/${created.body.id}`)
        .send({ emailVerified: true })
        .expect(400);
      expect(response.body.details).toEqual([
        { field: 'emailVerified', message: 'property emailVerified should not exist' },
      ]);
    });
  });

  describe('DELETE /users/:id', () => {
    it('answers 204 and removes the user and, by cascade, its sessions', async () => {
      const created = await createUser('delete@example.com');
      await http().post(`/users/${created.body.id}/sessions`).expect(201);
      await http().post(`/users/${created.body.id}/sessions`).expect(201);
      const other = await createUser('keep@example.com');
      await http().post(`/users/${other.body.id}/sessions`).expect(201);

      await http().delete(`/users/${created.body.id}`).expect(204, '');

      expect(await rows(`SELECT id FROM auth.users WHERE id = $1`, [created.body.id])).toEqual([]);
      expect(
        await rows(`SELECT id FROM auth.sessions WHERE user_id = $1`, [created.body.id]),
      ).toEqual([]);
      expect(
        await rows(`SELECT count(*)::int AS n FROM auth.sessions WHERE user_id = $1`, [
          other.body.id,
        ]),
      ).toEqual([{ n: 1 }]);
      await http().get(`/users/${created.body.id}`).expect(404);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      await http().delete('/users/00000000-0000-4000-8000-000000000000').expect(404);
      await http().delete('/users/not-a-uuid').expect(400);
    });
  });
});
