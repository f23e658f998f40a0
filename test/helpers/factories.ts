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
  const token = generateSessionToken();
  const tokenHash = hashSessionToken(token);
  const [row] = await db.query<{ id: string; expires_at: Date }[]>(
    `INSERT INTO auth.sessions (user_id, token, expires_at, ip_address, user_agent)
     VALUES ($1, $2, now() + $3::interval, $4, $5) RETURNING id, expires_at`,
    [
      userId,
      tokenHash,
      fields.expiresIn ?? '1 hour',
      fields.ipAddress ?? null,
      fields.userAgent ?? null,
    ],
  );
  return { id: row!.id, token, tokenHash, expiresAt: row!.expires_at };
}

/**
 * Inserts an item of the user in the category (a draft titled `Item` unless given); `deleted`
 * soft-deletes it, as `DELETE /users/:userId/items/:itemId` does.
 */
export async function newItem(
  db: Queryable,
  userId: string,
  categoryId: string,
  fields: { title?: string; deleted?: boolean } = {},
): Promise<{ id: string }> {
  const [row] = await db.query<{ id: string }[]>(
    `INSERT INTO app.items (user_id, category_id, title, deleted_at)
     VALUES ($1, $2, $3, CASE WHEN $4 THEN now() END) RETURNING id`,
    [userId, categoryId, fields.title ?? 'Item', fields.deleted ?? false],
  );
  return row!;
}
