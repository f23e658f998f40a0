import { NotFoundException } from '@nestjs/common';
import type { Test } from 'supertest';
import { ItemsService } from '../../src/items/items.service';
import { type SignedIn, signUp } from '../helpers/auth';
import { newCategory, newItem, newLocation, newSession } from '../helpers/factories';
import { createTestApp, type TestApp } from '../helpers/test-app';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
/** The message of `SafeText`, after the field name. */
const SAFE_TEXT = 'must not contain NUL (U+0000) or unpaired UTF-16 surrogate characters';
/** A cursor as the API writes one (base64url of `<created_at>|<id>`), for any instant and id. */
const cursorOf = (createdAt: string, id = UNKNOWN) =>
  Buffer.from(`${createdAt}|${id}`).toString('base64url');

/** The 404 of a user id that is not the caller's own, the same whether the user exists or not. */
const userNotFound = (id: string) => ({
  statusCode: 404,
  error: 'Not Found',
  message: `User ${id} not found`,
});

describe('/users/:userId/items', () => {
  let sut: TestApp;
  const http = () => sut.http();
  let owner: SignedIn;
  let other: SignedIn;
  let userId: string;
  let otherUserId: string;
  let phones: string;
  let books: string;
  let paris: string;

  const createItem = async (body: Record<string, unknown>, as: SignedIn = owner) =>
    (await http().post(`/users/${as.user.id}/items`).set(as.auth).send(body).expect(201)).body as {
      id: string;
      [key: string]: unknown;
    };

  beforeAll(async () => {
    sut = await createTestApp();
    owner = await signUp(sut, { email: 'owner@example.com', name: 'O' });
    other = await signUp(sut, { email: 'other@example.com', name: 'X' });
    userId = owner.user.id;
    otherUserId = other.user.id;
    phones = (await newCategory(sut.dataSource, { slug: 'phones', name: 'Phones' })).id;
    books = (await newCategory(sut.dataSource, { slug: 'books', name: 'Books' })).id;
    const france = await newLocation(sut.dataSource, 'FR', { name: 'France' });
    const city = await newLocation(sut.dataSource, 'FR-75C', {
      name: 'Paris',
      parentId: france.id,
    });
    paris = city.id;
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('POST', () => {
    it('creates a draft item with empty metadata by default and answers 201 with it', async () => {
      const item = await createItem({ title: 'Old phone', categoryId: phones });

      expect(item).toEqual({
        id: expect.any(String),
        userId,
        categoryId: phones,
        locationId: null,
        title: 'Old phone',
        description: null,
        status: 'draft',
        metadata: {},
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        deletedAt: null,
      });
      expect(
        await sut.rows(`SELECT title, status::text FROM app.items WHERE id = $1`, [item.id]),
      ).toEqual([{ title: 'Old phone', status: 'draft' }]);
    });

    it('stores every field, with typed metadata', async () => {
      const item = await createItem({
        title: 'Novel',
        description: 'Signed copy',
        categoryId: books,
        locationId: paris,
        status: 'published',
        metadata: { tags: ['signed', 'first-edition'], attributes: { author: 'A. Writer' } },
      });

      expect(item).toMatchObject({
        description: 'Signed copy',
        locationId: paris,
        status: 'published',
        metadata: { tags: ['signed', 'first-edition'], attributes: { author: 'A. Writer' } },
      });
    });

    it.each([
      [{ categoryId: '{phones}' }, 'title', 'title must be a string'],
      [{ title: '   ', categoryId: '{phones}' }, 'title', 'title must not be blank'],
      [
        { title: '\u200b\u200c\u200d\u2060\ufeff', categoryId: '{phones}' },
        'title',
        'title must not be blank',
      ],
      [{ title: '\t\u200b \u00a0', categoryId: '{phones}' }, 'title', 'title must not be blank'],
      [{ title: 'T\u0000', categoryId: '{phones}' }, 'title', `title ${SAFE_TEXT}`],
      [{ title: '\ud800', categoryId: '{phones}' }, 'title', `title ${SAFE_TEXT}`],
      [
        { title: 'T', categoryId: '{phones}', description: 'a\u0000b' },
        'description',
        `description ${SAFE_TEXT}`,
      ],
      [
        { title: 'T', categoryId: '{phones}', description: 'a\udc00b' },
        'description',
        `description ${SAFE_TEXT}`,
      ],
      [
        { title: 'T', categoryId: '{phones}', metadata: { tags: null } },
        'metadata.tags',
        'tags must be an array',
      ],
      [
        { title: 'T', categoryId: '{phones}', metadata: { tags: ['ok', 'n\u0000l'] } },
        'metadata.tags',
        `each value in tags ${SAFE_TEXT}`,
      ],
      [
        { title: 'T', categoryId: '{phones}', metadata: { tags: ['\ud83d'] } },
        'metadata.tags',
        `each value in tags ${SAFE_TEXT}`,
      ],
      [
        { title: 'T', categoryId: '{phones}', metadata: { attributes: { size: 'X\u0000L' } } },
        'metadata.attributes',
        'attributes must be an object of at most 50 string values of at most 500 characters, without NUL or unpaired surrogates',
      ],
      [
        { title: 'T', categoryId: '{phones}', metadata: { attributes: { 's\ud800': 'XL' } } },
        'metadata.attributes',
        'attributes must be an object of at most 50 string values of at most 500 characters, without NUL or unpaired surrogates',
      ],
      [{ title: 'T' }, 'categoryId', 'categoryId must be a UUID'],
      [{ title: 'T', categoryId: 'nope' }, 'categoryId', 'categoryId must be a UUID'],
      [{ title: 'T', categoryId: UNKNOWN }, 'categoryId', 'categoryId does not exist'],
      [
        { title: 'T', categoryId: '{phones}', locationId: UNKNOWN },
        'locationId',
        'locationId does not exist',
      ],
      [
        { title: 'T', categoryId: '{phones}', status: 'sold' },
        'status',
        'status must be one of draft, published, archived',
      ],
      [
        { title: 'T', categoryId: '{phones}', metadata: [] },
        'metadata',
        'metadata must be an object',
      ],
      [
        { title: 'T', categoryId: '{phones}', metadata: { tags: 'x' } },
        'metadata.tags',
        'tags must be an array',
      ],
      [
        { title: 'T', categoryId: '{phones}', metadata: { attributes: { size: 3 } } },
        'metadata.attributes',
        'attributes must be an object of at most 50 string values of at most 500 characters, without NUL or unpaired surrogates',
      ],
      [
        { title: 'T', categoryId: '{phones}', owner: 'me' },
        'owner',
        'property owner should not exist',
      ],
    ])('answers 400 naming the field for %j and stores nothing', async (body, field, message) => {
      const sent = JSON.parse(JSON.stringify(body).replace('{phones}', phones)) as object;

      const response = await http()
        .post(`/users/${userId}/items`)
        .set(owner.auth)
        .send(sent)
        .expect(400);

      expect(response.body.details).toEqual([{ field, message }]);
      expect(await sut.rows(`SELECT id FROM app.items WHERE title = 'T'`)).toEqual([]);
    });

    it('answers 400 naming the body for metadata nested too deeply to transform, and stores nothing', async () => {
      const nested = `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`;
      const response = await http()
        .post(`/users/${userId}/items`)
        .set(owner.auth)
        .set('Content-Type', 'application/json')
        .send(`{"title": "Deep", "categoryId": "${phones}", "metadata": ${nested}}`)
        .expect(400);

      const message = 'body must not be nested more than 32 levels deep';
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message,
        details: [{ field: 'body', message }],
      });
      expect(await sut.rows(`SELECT id FROM app.items WHERE title = 'Deep'`)).toEqual([]);
    });

    it("answers 404 for an unknown user or another user's id, 400 naming userId for a malformed one, and stores nothing", async () => {
      for (const id of [UNKNOWN, otherUserId]) {
        const notFound = await http()
          .post(`/users/${id}/items`)
          .set(owner.auth)
          .send({ title: 'T', categoryId: phones })
          .expect(404);
        expect(notFound.body).toEqual(userNotFound(id));
      }
      const response = await http()
        .post('/users/me/items')
        .set(owner.auth)
        .send({ title: 'T', categoryId: phones })
        .expect(400);

      expect(response.body.details).toEqual([
        { field: 'userId', message: 'userId must be a UUID' },
      ]);
      expect(await sut.rows(`SELECT id FROM app.items WHERE title = 'T'`)).toEqual([]);
    });
  });

  describe('GET one', () => {
    it("answers the item to its owner and 404 to anyone else's path", async () => {
      const item = await createItem({ title: 'Mine', categoryId: phones });

      await http().get(`/users/${userId}/items/${item.id}`).set(owner.auth).expect(200, item);
      await http().get(`/users/${otherUserId}/items/${item.id}`).set(owner.auth).expect(404);
      await http().get(`/users/${userId}/items/${UNKNOWN}`).set(owner.auth).expect(404);
      await http().get(`/users/${userId}/items/bad`).set(owner.auth).expect(400);
    });
  });

  describe('GET list', () => {
    let lister: SignedIn;
    let created: { id: string }[];

    beforeAll(async () => {
      lister = await signUp(sut, { email: 'lister@example.com', name: 'L' });
      created = [];
      for (const [i, status, categoryId] of [
        [1, 'draft', phones],
        [2, 'published', books],
        [3, 'published', phones],
        [4, 'archived', phones],
        [5, 'published', phones],
      ] as const) {
        created.push(await createItem({ title: `Item ${i}`, status, categoryId }, lister));
      }
      // Three items with the very same created_at: the id breaks the tie.
      for (const n of [1, 2, 3])
        await newItem(sut.dataSource, lister.user.id, books, {
          title: `Twin ${n}`,
          createdAt: '2020-01-01T00:00:00.123456Z',
        });
    });

    const pages = async (query: Record<string, unknown>) => {
      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const response = await http()
          .get(`/users/${lister.user.id}/items`)
          .set(lister.auth)
          .query({ ...query, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push((response.body.items as { title: string }[]).map((item) => item.title));
        cursor = response.body.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };

    it('pages through every item exactly once, newest first, by keyset', async () => {
      const twins = (
        await sut.rows(
          `SELECT title FROM app.items WHERE user_id = $1 AND title LIKE 'Twin%' ORDER BY id DESC`,
          [lister.user.id],
        )
      ).map((row) => row.title);

      expect(await pages({ limit: 2 })).toEqual([
        ['Item 5', 'Item 4'],
        ['Item 3', 'Item 2'],
        ['Item 1', twins[0]],
        [twins[1], twins[2]],
      ]);
    });

    it('filters by status and by category', async () => {
      expect(await pages({ status: 'published', limit: 10 })).toEqual([
        ['Item 5', 'Item 3', 'Item 2'],
      ]);
      expect(await pages({ categoryId: phones, status: 'published', limit: 1 })).toEqual([
        ['Item 5'],
        ['Item 3'],
      ]);
    });

    it('hides soft-deleted items unless includeDeleted=true', async () => {
      await http()
        .delete(`/users/${lister.user.id}/items/${created[4]!.id}`)
        .set(lister.auth)
        .expect(204);

      expect((await pages({ status: 'published', limit: 10 }))[0]).toEqual(['Item 3', 'Item 2']);
      expect((await pages({ status: 'published', limit: 10, includeDeleted: true }))[0]).toEqual([
        'Item 5',
        'Item 3',
        'Item 2',
      ]);
      await http()
        .post(`/users/${lister.user.id}/items/${created[4]!.id}/restore`)
        .set(lister.auth)
        .expect(200);
    });

    it.each([
      [{ cursor: 'garbage' }, 'cursor', 'cursor must be the nextCursor of a previous page'],
      [
        {
          cursor: Buffer.from(`9999-99-99T99:99:99.999999Z|${'-'.repeat(36)}`).toString(
            'base64url',
          ),
        },
        'cursor',
        'cursor must be the nextCursor of a previous page',
      ],
      [
        { cursor: Buffer.from(`2026-02-30T10:11:12.123456Z|${UNKNOWN}`).toString('base64url') },
        'cursor',
        'cursor must be the nextCursor of a previous page',
      ],
      [
        { cursor: cursorOf('0000-01-01T00:00:00.000000Z') },
        'cursor',
        'cursor must be the nextCursor of a previous page',
      ],
      [{ cursor: 'abc\u0000' }, 'cursor', `cursor ${SAFE_TEXT}`],
      [{ limit: 0 }, 'limit', 'limit must not be less than 1'],
      // Only plain decimal digits: Number() would read these as 100, 16 and 5.
      [{ limit: '1e2' }, 'limit', 'limit must be an integer number'],
      [{ limit: '0x10' }, 'limit', 'limit must be an integer number'],
      [{ limit: ' 5' }, 'limit', 'limit must be an integer number'],
      [{ status: 'sold' }, 'status', 'status must be one of draft, published, archived'],
      [{ categoryId: 'x' }, 'categoryId', 'categoryId must be a UUID'],
      [{ includeDeleted: 'maybe' }, 'includeDeleted', 'includeDeleted must be true or false'],
    ])('answers 400 naming the field for %j', async (query, field, message) => {
      const response = await http()
        .get(`/users/${lister.user.id}/items`)
        .set(lister.auth)
        .query(query)
        .expect(400);

      expect(response.body.details).toEqual([{ field, message }]);
    });

    it('answers 404 for an unknown user', async () => {
      const response = await http().get(`/users/${UNKNOWN}/items`).set(lister.auth).expect(404);

      expect(response.body).toEqual(userNotFound(UNKNOWN));
    });

    it('answers 404 for an unknown user with a forged, well-formed cursor, over HTTP and in the service', async () => {
      const cursor = cursorOf('2030-01-01T00:00:00.000000Z');
      // Over HTTP a user reads only their own items: any other id is refused before the service.
      const response = await http()
        .get(`/users/${UNKNOWN}/items`)
        .set(lister.auth)
        .query({ cursor })
        .expect(404);
      expect(response.body).toEqual(userNotFound(UNKNOWN));
      // The service itself makes the same check, cursor or not (a user deleted meanwhile).
      await expect(
        sut.app.get(ItemsService).list(UNKNOWN, { limit: 20, cursor }),
      ).rejects.toBeInstanceOf(NotFoundException);
      // A known user's empty page past a forged cursor is a 200.
      const empty = await http()
        .get(`/users/${lister.user.id}/items`)
        .set(lister.auth)
        .query({ cursor: cursorOf('1999-01-01T00:00:00.000000Z') })
        .expect(200);
      expect(empty.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('PATCH', () => {
    it('changes the given fields; null clears description and location', async () => {
      const item = await createItem({
        title: 'Before',
        description: 'D',
        locationId: paris,
        categoryId: phones,
      });

      const response = await http()
        .patch(`/users/${userId}/items/${item.id}`)
        .set(owner.auth)
        .send({
          title: 'After',
          description: null,
          locationId: null,
          status: 'archived',
          metadata: { tags: ['x'] },
        })
        .expect(200);

      expect(response.body).toMatchObject({
        title: 'After',
        description: null,
        locationId: null,
        status: 'archived',
        metadata: { tags: ['x'] },
        categoryId: phones,
      });
    });

    it.each([
      [{ title: null }, 'title', 'title must be a string'],
      [{ categoryId: null }, 'categoryId', 'categoryId must be a UUID'],
      [{ status: null }, 'status', 'status must be one of draft, published, archived'],
      [{ metadata: null }, 'metadata', 'metadata must be an object'],
      [{ metadata: { tags: null } }, 'metadata.tags', 'tags must be an array'],
      [{ title: '\u200b' }, 'title', 'title must not be blank'],
      [{ title: 'A\u0000' }, 'title', `title ${SAFE_TEXT}`],
      [{ title: 'A\udbff' }, 'title', `title ${SAFE_TEXT}`],
      [{ categoryId: UNKNOWN }, 'categoryId', 'categoryId does not exist'],
    ])('answers 400 naming the field for %j and changes nothing', async (body, field, message) => {
      const item = await createItem({ title: 'Stable', categoryId: phones });

      const response = await http()
        .patch(`/users/${userId}/items/${item.id}`)
        .set(owner.auth)
        .send(body)
        .expect(400);

      expect(response.body.details).toEqual([{ field, message }]);
      expect(
        await sut.rows(`SELECT title, category_id FROM app.items WHERE id = $1`, [item.id]),
      ).toEqual([{ title: 'Stable', category_id: phones }]);
    });
  });

  describe('DELETE and restore', () => {
    it('soft-deletes (the row stays, with deleted_at), hides the item, and restores it', async () => {
      const item = await createItem({ title: 'Temporary', categoryId: books });

      await http().delete(`/users/${userId}/items/${item.id}`).set(owner.auth).expect(204, '');
      expect(
        await sut.rows(`SELECT deleted_at IS NOT NULL AS deleted FROM app.items WHERE id = $1`, [
          item.id,
        ]),
      ).toEqual([{ deleted: true }]);
      await http().get(`/users/${userId}/items/${item.id}`).set(owner.auth).expect(404);
      await http()
        .patch(`/users/${userId}/items/${item.id}`)
        .set(owner.auth)
        .send({ title: 'X' })
        .expect(404);
      await http().delete(`/users/${userId}/items/${item.id}`).set(owner.auth).expect(404);

      const restored = await http()
        .post(`/users/${userId}/items/${item.id}/restore`)
        .set(owner.auth)
        .expect(200);
      expect(restored.body).toMatchObject({ id: item.id, title: 'Temporary', deletedAt: null });
      await http().get(`/users/${userId}/items/${item.id}`).set(owner.auth).expect(200);
      await http().post(`/users/${userId}/items/${item.id}/restore`).set(owner.auth).expect(200);
    });

    it("answers 404 when restoring an unknown item or another user's, and restores nothing", async () => {
      const item = await createItem({ title: 'Not yours', categoryId: books });
      await http().delete(`/users/${userId}/items/${item.id}`).set(owner.auth).expect(204);

      await http()
        .post(`/users/${otherUserId}/items/${item.id}/restore`)
        .set(owner.auth)
        .expect(404);
      await http().post(`/users/${userId}/items/${UNKNOWN}/restore`).set(owner.auth).expect(404);
      expect(
        await sut.rows(`SELECT deleted_at IS NOT NULL AS deleted FROM app.items WHERE id = $1`, [
          item.id,
        ]),
      ).toEqual([{ deleted: true }]);
    });
  });

  describe('access', () => {
    /** The owner's items a request could touch: one live, one soft-deleted. */
    let live: string;
    let deleted: string;

    /** Every item route, on the items of `userId`: one live item, one soft-deleted for restore. */
    const routes: [string, (userId: string) => Test][] = [
      [
        'POST',
        (id) => http().post(`/users/${id}/items`).send({ title: 'Intruder', categoryId: phones }),
      ],
      ['GET list', (id) => http().get(`/users/${id}/items`).query({ includeDeleted: true })],
      ['GET one', (id) => http().get(`/users/${id}/items/${live}`)],
      [
        'PATCH',
        (id) =>
          http()
            .patch(`/users/${id}/items/${live}`)
            .send({ title: 'Intruder', status: 'archived' }),
      ],
      ['DELETE', (id) => http().delete(`/users/${id}/items/${live}`)],
      ['POST restore', (id) => http().post(`/users/${id}/items/${deleted}/restore`)],
    ];
    const itemRoutes = routes.filter(([name]) => name !== 'POST' && name !== 'GET list');

    /** Every row of the owner's items, to show that a refused request changed nothing. */
    const ownerRows = () =>
      sut.rows(`SELECT * FROM app.items WHERE user_id = $1 ORDER BY id`, [userId]);

    beforeAll(async () => {
      live = (await createItem({ title: 'Guarded', categoryId: phones })).id;
      deleted = (await createItem({ title: 'Guarded deleted', categoryId: books })).id;
      await http().delete(`/users/${userId}/items/${deleted}`).set(owner.auth).expect(204);
    });

    it.each(routes)(
      "answers 404 to another signed-in user on the owner's path (%s), as for an unknown user, and changes nothing",
      async (_route, request) => {
        const before = await ownerRows();

        const response = await request(userId).set(other.auth).expect(404);

        expect(response.body).toEqual(userNotFound(userId));
        expect(await ownerRows()).toEqual(before);
        expect(
          await sut.rows(`SELECT id FROM app.items WHERE user_id = $1`, [otherUserId]),
        ).toEqual([]);
      },
    );

    it.each(itemRoutes)(
      "answers 404 to another signed-in user asking for the owner's item on their own path (%s), and changes nothing",
      async (route, request) => {
        const before = await ownerRows();

        const response = await request(otherUserId).set(other.auth).expect(404);

        expect(response.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: `Item ${route === 'POST restore' ? deleted : live} not found`,
        });
        expect(await ownerRows()).toEqual(before);
      },
    );

    it("shows another signed-in user none of the owner's items on their own list", async () => {
      const response = await http()
        .get(`/users/${otherUserId}/items`)
        .query({ includeDeleted: true })
        .set(other.auth)
        .expect(200);

      expect(response.body).toEqual({ items: [], nextCursor: null });
    });

    const credentials: [string, () => Promise<Record<string, string>>, string, string][] = [
      ['no session', () => Promise.resolve({}), 'Bearer', 'A session is required'],
      [
        'an unknown token',
        () => Promise.resolve({ Authorization: 'Bearer unknown-session-token' }),
        'Bearer error="invalid_token"',
        'The session is unknown or expired',
      ],
      [
        "an expired session of the owner's",
        async () => ({
          Authorization: `Bearer ${(await newSession(sut.dataSource, userId, { expiresIn: '-1 minute' })).token}`,
        }),
        'Bearer error="invalid_token"',
        'The session is unknown or expired',
      ],
    ];

    it.each(
      routes.flatMap(([route, request]) =>
        credentials.map((credential) => [route, ...credential, request] as const),
      ),
    )(
      'answers 401 with WWW-Authenticate to %s with %s, and changes nothing',
      async (_route, _credential, headers, challenge, message, request) => {
        const before = await ownerRows();

        const response = await request(userId)
          .set(await headers())
          .expect(401);

        expect(response.headers['www-authenticate']).toBe(challenge);
        expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message });
        expect(await ownerRows()).toEqual(before);
      },
    );
  });

  describe('foreign keys', () => {
    it("deletes a user's items with the user, and clears the location of items when it goes", async () => {
      const gone = await signUp(sut, { email: 'gone@example.com', name: 'G' });
      const place = (await newLocation(sut.dataSource, 'DE', { name: 'Germany' })).id;
      const kept = await createItem({ title: 'Placed', categoryId: books, locationId: place });
      await createItem({ title: 'Owned', categoryId: books }, gone);

      await http().delete(`/users/${gone.user.id}`).set(gone.auth).expect(204);
      await sut.rows(`DELETE FROM master.locations WHERE id = $1`, [place]);

      expect(await sut.rows(`SELECT id FROM app.items WHERE user_id = $1`, [gone.user.id])).toEqual(
        [],
      );
      await http().get(`/users/${gone.user.id}/items`).set(gone.auth).expect(401);
      expect(await sut.rows(`SELECT location_id FROM app.items WHERE id = $1`, [kept.id])).toEqual([
        { location_id: null },
      ]);
    });
  });
});
