import { hashSessionToken } from '../../src/auth/session-token-hash';
import { generateSessionToken } from './session-token';

/** Anything that runs SQL with parameters and returns rows: a DataSource, a QueryRunner. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

let sequence = 0;

/** A row of `auth.users` as the factories return it. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
}

/**
 * Inserts a user (with no credential: it cannot sign in; use the `signUp` helper for one that
 * can). The email is unique per call unless given.
 */
export async function newUser(
  db: Queryable,
  fields: { email?: string; name?: string } = {},
): Promise<UserRow> {
  sequence += 1;
  const [row] = await db.query<UserRow[]>(
    `INSERT INTO auth.users (email, name) VALUES ($1, $2) RETURNING id, email, name`,
    [fields.email ?? `user-${process.pid}-${sequence}@example.com`, fields.name ?? 'Test'],
  );
  return row!;
}

/** A session as {@link newSession} returns it: its raw token, which the table never holds. */
export interface SessionRow {
  id: string;
  /** The token a client presents. */
  token: string;
  /** What `auth.sessions.token` holds: the token's SHA-256 (`hashSessionToken`). */
  tokenHash: string;
  expiresAt: Date;
}

/**
 * Inserts a session of the user, as Better Auth's sign-in would store it (the token's hash),
 * expiring `expiresIn` (a PostgreSQL interval, default `1 hour`, negative for an expired one)
 * after the database's `now()`.
 */
export async function newSession(
  db: Queryable,
  userId: string,
  fields: { expiresIn?: string; ipAddress?: string; userAgent?: string } = {},
): Promise<SessionRow> {
  const [session] = await newSessions(db, userId, 1, fields);
  return session!;
}

/**
 * Inserts `count` sessions of the user in one statement, as {@link newSession} does one; for
 * tests that need thousands.
 */
export async function newSessions(
  db: Queryable,
  userId: string,
  count: number,
  fields: { expiresIn?: string; ipAddress?: string; userAgent?: string } = {},
): Promise<SessionRow[]> {
  const tokens = Array.from({ length: count }, () => generateSessionToken());
  const hashes = tokens.map(hashSessionToken);
  const rows = await db.query<{ id: string; token: string; expires_at: Date }[]>(
    `INSERT INTO auth.sessions (user_id, token, expires_at, ip_address, user_agent)
     SELECT $1, token, now() + $3::interval, $4, $5 FROM unnest($2::text[]) AS token
     RETURNING id, token, expires_at`,
    [
      userId,
      hashes,
      fields.expiresIn ?? '1 hour',
      fields.ipAddress ?? null,
      fields.userAgent ?? null,
    ],
  );
  const byHash = new Map(rows.map((row) => [row.token, row]));
  return tokens.map((token, i) => {
    const row = byHash.get(hashes[i]!)!;
    return { id: row.id, token, tokenHash: row.token, expiresAt: row.expires_at };
  });
}

/**
 * Inserts an account of the user: by default a `credential` account without a password (Better
 * Auth's `account_id` of a credential account is the user's id), which cannot sign in.
 */
export async function newAccount(
  db: Queryable,
  userId: string,
  fields: { providerId?: string; accountId?: string; password?: string } = {},
): Promise<{ id: string }> {
  const [row] = await db.query<{ id: string }[]>(
    `INSERT INTO auth.accounts (user_id, provider_id, account_id, password)
     VALUES ($1, $2, $3, $4) RETURNING id`,
    [
      userId,
      fields.providerId ?? 'credential',
      fields.accountId ?? userId,
      fields.password ?? null,
    ],
  );
  return row!;
}

/**
 * Inserts a category of `master.categories`: top-level and sorted first unless told, with a slug
 * unique per call unless given (`id` too, to put back a deleted one).
 */
export async function newCategory(
  db: Queryable,
  fields: { id?: string; slug?: string; name?: string; sortOrder?: number; parentId?: string } = {},
): Promise<{ id: string; slug: string }> {
  sequence += 1;
  const [row] = await db.query<{ id: string; slug: string }[]>(
    `INSERT INTO master.categories (id, slug, name, sort_order, parent_id)
     VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5) RETURNING id, slug`,
    [
      fields.id ?? null,
      fields.slug ?? `category-${process.pid}-${sequence}`,
      fields.name ?? 'Category',
      fields.sortOrder ?? 0,
      fields.parentId ?? null,
    ],
  );
  return row!;
}

/**
 * Inserts a location of `master.locations`: a country (`FR`) without `parentId`, a subdivision
 * (`FR-IDF`) with its country's id. The name is the code unless given.
 */
export async function newLocation(
  db: Queryable,
  code: string,
  fields: { name?: string; parentId?: string } = {},
): Promise<{ id: string }> {
  const [row] = await db.query<{ id: string }[]>(
    `INSERT INTO master.locations (code, name, parent_id) VALUES ($1, $2, $3) RETURNING id`,
    [code, fields.name ?? code, fields.parentId ?? null],
  );
  return row!;
}

/**
 * Inserts an item of the user in the category (a draft titled `Item` unless given); `deleted`
 * soft-deletes it, as `DELETE /users/:userId/items/:itemId` does. `createdAt` (ISO 8601, to the
 * microsecond) and `id` replace the defaults, for tests of the listing order.
 */
export async function newItem(
  db: Queryable,
  userId: string,
  categoryId: string,
  fields: { title?: string; deleted?: boolean; createdAt?: string; id?: string } = {},
): Promise<{ id: string }> {
  const [row] = await db.query<{ id: string }[]>(
    `INSERT INTO app.items (id, user_id, category_id, title, deleted_at, created_at)
     VALUES (coalesce($5::uuid, gen_random_uuid()), $1, $2, $3, CASE WHEN $4 THEN now() END,
             coalesce($6::timestamptz, now()))
     RETURNING id`,
    [
      userId,
      categoryId,
      fields.title ?? 'Item',
      fields.deleted ?? false,
      fields.id ?? null,
      fields.createdAt ?? null,
    ],
  );
  return row!;
}
