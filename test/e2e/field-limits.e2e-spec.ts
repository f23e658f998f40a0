import { type SignedIn, signUp } from '../helpers/auth';
import { newCategory, newItem } from '../helpers/factories';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** BODY_LIMIT_BYTES of the suite: above the largest body at the field limits (50 x 500). */
const BODY_LIMIT = 64 * 1024;

/** A lower-case address of `length` characters: a 64-character local part, labels of 63. */
function emailOfLength(length: number): string {
  const local = 'a'.repeat(64);
  const labels = ['com'];
  const size = () => local.length + 1 + labels.join('.').length;
  while (size() < length) labels.unshift('d'.repeat(Math.min(63, length - size() - 1)));
  return `${local}@${labels.join('.')}`;
}

/** `count` distinct strings of `length` characters. */
const strings = (count: number, length: number) =>
  Array.from({ length: count }, (_, i) => String(i).padStart(length, 'x'));
const attributes = (count: number, length: number) =>
  Object.fromEntries(strings(count, 8).map((key) => [key, 'v'.repeat(length)]));

/** A field's value at its documented limit and one over it, and where the value is stored. */
interface Limit {
  label: string;
  /** The field `details` names when the value is refused. */
  field: string;
  body: (atLimit: boolean) => Record<string, unknown>;
  /** The column, of `auth.users` or `app.items`, that holds the field. */
  column: string;
}

const USER_LIMITS: Limit[] = [
  {
    label: 'email of 254 characters',
    field: 'email',
    body: (at) => ({ email: emailOfLength(at ? 254 : 255) }),
    column: 'email',
  },
  {
    label: 'name of 200 characters',
    field: 'name',
    body: (at) => ({ name: 'n'.repeat(at ? 200 : 201) }),
    column: 'name',
  },
  {
    label: 'image URL of 2048 characters',
    field: 'image',
    body: (at) => ({ image: `https://example.com/${'i'.repeat((at ? 2048 : 2049) - 20)}` }),
    column: 'image',
  },
];

const ITEM_LIMITS: Limit[] = [
  {
    label: 'title of 200 characters',
    field: 'title',
    body: (at) => ({ title: 't'.repeat(at ? 200 : 201) }),
    column: 'title',
  },
  {
    label: 'description of 5000 characters',
    field: 'description',
    body: (at) => ({ description: 'd'.repeat(at ? 5000 : 5001) }),
    column: 'description',
  },
  {
    label: '20 tags',
    field: 'metadata.tags',
    body: (at) => ({ metadata: { tags: strings(at ? 20 : 21, 5) } }),
    column: 'metadata',
  },
  {
    label: 'tags of 50 characters',
    field: 'metadata.tags',
    body: (at) => ({ metadata: { tags: strings(2, at ? 50 : 51) } }),
    column: 'metadata',
  },
  {
    label: 'tags of 1 character (0 is one under)',
    field: 'metadata.tags',
    body: (at) => ({ metadata: { tags: at ? ['a', 'b'] : ['a', ''] } }),
    column: 'metadata',
  },
  {
    label: '50 attributes',
    field: 'metadata.attributes',
    body: (at) => ({ metadata: { attributes: attributes(at ? 50 : 51, 1) } }),
    column: 'metadata',
  },
  {
    label: 'attribute values of 500 characters',
    field: 'metadata.attributes',
    body: (at) => ({ metadata: { attributes: attributes(3, at ? 500 : 501) } }),
    column: 'metadata',
  },
];

describe('maximum lengths, at the limit and one over', () => {
  let sut: TestApp;
  let owner: SignedIn;
  let category: string;
  const http = () => sut.http();
  const stored = async (table: string, column: string, id: string) =>
    (await sut.rows(`SELECT ${column} AS value FROM ${table} WHERE id = $1`, [id]))[0]?.value;
  const itemCount = async () =>
    (
      await sut.rows(`SELECT count(*)::int AS n FROM app.items WHERE user_id = $1`, [owner.user.id])
    )[0]!.n as number;
  const refusedFields = (body: { details?: { field: string }[] }) =>
    (body.details ?? []).map((detail) => detail.field);

  beforeAll(async () => {
    sut = await createTestApp({ BODY_LIMIT_BYTES: String(BODY_LIMIT) });
    owner = await signUp(sut);
    category = (await newCategory(sut.dataSource, { slug: 'limits', name: 'Limits' })).id;
  });

  afterAll(async () => {
    await sut?.close();
  });

  describe('PATCH /users/:id', () => {
    it.each(USER_LIMITS)(
      '$label: 200 and stored exactly; one over: 400 naming $field',
      async ({ field, body, column }) => {
        const over = await http()
          .patch(`/users/${owner.user.id}`)
          .set(owner.auth)
          .send(body(false));
        const before = await stored('auth.users', column, owner.user.id);
        const at = await http().patch(`/users/${owner.user.id}`).set(owner.auth).send(body(true));

        expect([over.status, refusedFields(over.body)]).toEqual([400, [field]]);
        expect(before).not.toEqual(body(false)[field]);
        expect(at.status).toBe(200);
        expect(await stored('auth.users', column, owner.user.id)).toEqual(body(true)[field]);
      },
    );
  });

  describe.each(['POST', 'PATCH'] as const)('%s of an item', (method) => {
    /**
     * POST creates an item; PATCH changes one the factory made (title `Item`, no description).
     * With `bytes`, `description` is padded so that the JSON body is exactly that long.
     */
    const send = async (fields: Record<string, unknown>, bytes?: number) => {
      const payload: Record<string, unknown> =
        method === 'POST' ? { title: 'Item', categoryId: category, ...fields } : { ...fields };
      if (bytes !== undefined) {
        const rest = bytes - JSON.stringify({ ...payload, description: '' }).length;
        payload.description = 'd'.repeat(rest);
      }
      const id =
        method === 'PATCH'
          ? (await newItem(sut.dataSource, owner.user.id, category)).id
          : undefined;
      const response = await (
        method === 'POST'
          ? http().post(`/users/${owner.user.id}/items`)
          : http().patch(`/users/${owner.user.id}/items/${id}`)
      )
        .set(owner.auth)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(payload));
      return { response, id: id ?? (response.body as { id?: string }).id };
    };
    const FACTORY_ITEM: Record<string, unknown> = {
      title: 'Item',
      description: null,
      metadata: {},
    };

    it.each(ITEM_LIMITS)(
      '$label: 2xx and stored exactly; one over: 400 naming $field',
      async ({ field, body, column }) => {
        const count = await itemCount();
        const over = await send(body(false));
        const overStored = over.id ? await stored('app.items', column, over.id) : undefined;
        const created = (await itemCount()) - count;
        const at = await send(body(true));

        expect([over.response.status, refusedFields(over.response.body)]).toEqual([400, [field]]);
        // POST stores nothing; PATCH leaves the item as the factory made it.
        if (method === 'POST') expect(created).toBe(0);
        else expect(overStored).toEqual(FACTORY_ITEM[column]);
        expect(at.response.status).toBe(method === 'POST' ? 201 : 200);
        expect(await stored('app.items', column, at.id!)).toEqual(body(true)[column]);
      },
    );

    it('takes a body of BODY_LIMIT_BYTES (then 400 naming description) and answers 413 to one byte more', async () => {
      const count = await itemCount();
      const over = await send({}, BODY_LIMIT + 1);
      const overStored = over.id ? await stored('app.items', 'description', over.id) : undefined;
      const created = (await itemCount()) - count;
      const at = await send({}, BODY_LIMIT);

      expect(over.response.status).toBe(413);
      expect(over.response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'The request body is too large',
      });
      if (method === 'POST') expect(created).toBe(0);
      else expect(overStored).toBeNull();
      // Read in full: the description it carries is over its own limit.
      expect([at.response.status, refusedFields(at.response.body)]).toEqual([400, ['description']]);
    });
  });
});
