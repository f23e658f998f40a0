import type { QueryRunner } from 'typeorm';
import { type InsertedRows, insertReturningIds, Seed } from '../../src/migration-tools/seeds/seed';

const USERS: [email: string, name: string][] = [
  ['ada@example.com', 'Ada Lovelace'],
  ['grace@example.com', 'Grace Hopper'],
  ['alan@example.com', 'Alan Turing'],
];

/** Items with fixed ids, so that running the seed again finds them (`ON CONFLICT (id)`). */
const ITEMS: [
  id: string,
  owner: string,
  category: string,
  location: string | null,
  title: string,
  status: string,
][] = [
  [
    '5eed0000-0000-4000-8000-000000000001',
    'ada@example.com',
    'computers',
    'GB-ENG',
    'Analytical engine, working order',
    'published',
  ],
  [
    '5eed0000-0000-4000-8000-000000000002',
    'ada@example.com',
    'books',
    'GB-ENG',
    'Notes on the engine, first edition',
    'draft',
  ],
  [
    '5eed0000-0000-4000-8000-000000000003',
    'grace@example.com',
    'computers',
    'US-MA',
    'Harvard Mark I relay',
    'published',
  ],
  [
    '5eed0000-0000-4000-8000-000000000004',
    'grace@example.com',
    'accessories',
    null,
    'Nanosecond wire, 30 cm',
    'archived',
  ],
  [
    '5eed0000-0000-4000-8000-000000000005',
    'alan@example.com',
    'bicycles',
    'GB-ENG',
    'Bicycle with a loose chain',
    'published',
  ],
];

/**
 * Demo data for local development, applied only by `npm run seed:run -- --demo`: three users
 * (without passwords; open a session with `POST /users/:id/sessions`) and five items. Needs the
 * Locations and Categories seeds.
 */
export class DemoData1795446358283 extends Seed {
  override readonly demo = true;

  async up(queryRunner: QueryRunner): Promise<InsertedRows[]> {
    const users = await insertReturningIds(
      queryRunner,
      'auth.users',
      `INSERT INTO auth.users (email, name) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
      [USERS.map(([email]) => email), USERS.map(([, name]) => name)],
    );
    const items = await insertReturningIds(
      queryRunner,
      'app.items',
      `INSERT INTO app.items (id, user_id, category_id, location_id, title, status)
       SELECT source.id, owner.id, category.id, location.id, source.title, source.status::app.item_status
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           AS source (id, email, category, location, title, status)
         JOIN auth.users owner ON owner.email = source.email
         JOIN master.categories category ON category.slug = source.category
         LEFT JOIN master.locations location ON location.code = source.location
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [0, 1, 2, 3, 4, 5].map((column) => ITEMS.map((item) => item[column])),
    );
    return [users, items];
  }
}
