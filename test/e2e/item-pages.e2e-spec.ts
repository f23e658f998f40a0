import { type SignedIn, signUp } from '../helpers/auth';
import { newCategory, newItem } from '../helpers/factories';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** A UUID that sorts by `n`: PostgreSQL compares uuids byte by byte, as their hex text reads. */
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The instant of the page boundaries below, to the microsecond, and its neighbours. */
const TIE = '2024-05-01T10:00:04.123456Z';
const JUST_BEFORE = '2024-05-01T10:00:04.123455Z';
const JUST_AFTER = '2024-05-01T10:00:04.123457Z';

describe('GET /users/:userId/items pages by keyset while items are created', () => {
  let sut: TestApp;
  let owner: SignedIn;
  let category: string;

  /** Inserts items of the owner with the given titles, ids and created_at (default now()). */
  const insert = async (rows: [title: string, n: number | null, createdAt: string | null][]) => {
    for (const [title, n, createdAt] of rows)
      await newItem(sut.dataSource, owner.user.id, category, {
        title,
        id: n === null ? undefined : id(n),
        createdAt: createdAt ?? undefined,
      });
  };

  /** One page of two items: the titles, and the cursor of the next page. */
  const page = async (cursor?: string) => {
    const response = await sut
      .http()
      .get(`/users/${owner.user.id}/items`)
      .set(owner.auth)
      .query({ limit: 2, ...(cursor ? { cursor } : {}) })
      .expect(200);
    const body = response.body as { items: { title: string }[]; nextCursor: string | null };
    return { titles: body.items.map((item) => item.title), next: body.nextCursor ?? undefined };
  };

  beforeAll(async () => {
    sut = await createTestApp();
    owner = await signUp(sut);
    category = (await newCategory(sut.dataSource, { slug: 'pages', name: 'Pages' })).id;
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('shows every item that existed at page 1 exactly once, ties at a boundary once, and nothing newer than the boundary', async () => {
    await insert([
      ['A', 50, '2024-05-01T10:00:05Z'],
      ['B', 30, TIE],
      ['C', 20, TIE],
      ['D', 10, TIE],
      ['E', 60, '2024-05-01T10:00:03Z'],
      ['F', 70, '2024-05-01T10:00:02Z'],
    ]);

    const first = await page();
    // Page 1 ends at B (TIE, id 30). Created now: a newer item, items at the boundary's instant
    // on both sides of its id, one a microsecond on each side of it, and an older one.
    await insert([
      ['newer', null, null],
      ['tie above B', 40, TIE],
      ['tie below B', 25, TIE],
      ['a microsecond after', 1, JUST_AFTER],
      ['a microsecond before', 99, JUST_BEFORE],
      ['oldest', 80, '2024-05-01T10:00:01Z'],
    ]);
    const second = await page(first.next);
    // Page 2 ends at C (TIE, id 20).
    await insert([
      ['tie above C', 22, TIE],
      ['tie below C', 15, TIE],
    ]);
    const rest = [];
    for (let cursor = second.next; cursor;) {
      const next = await page(cursor);
      rest.push(next.titles);
      cursor = next.next;
    }

    const pages = [first.titles, second.titles, ...rest];
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(['A', 'B', 'C', 'D', 'E', 'F']));
    for (const before of ['newer', 'tie above B', 'a microsecond after', 'tie above C']) {
      expect(seen).not.toContain(before);
    }
    expect(pages).toEqual([
      ['A', 'B'],
      ['tie below B', 'C'],
      ['tie below C', 'D'],
      ['a microsecond before', 'E'],
      ['F', 'oldest'],
    ]);
  });
});
