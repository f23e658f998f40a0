import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/*
 * Bench rows are made by PostgreSQL itself with generate_series, so that a million rows take
 * seconds. Row n is predictable from n alone: user n has the id `benchUserIdSql('n')`, session n the
 * token 'bench' followed by n on 27 digits (32 letters and digits, the format of real tokens),
 * stored as the app stores every token: its SHA-256 in hex (`hashSessionToken`).
 */

/** SQL for what `auth.sessions.token` stores for the token `expression` (`hashSessionToken`). */
const STORED_TOKEN = (expression: string) =>
  `encode(sha256(convert_to(${expression}, 'UTF8')), 'hex')`;

/**
 * SQL for the id of bench user `expression`: the MD5 of `'user' || n` with the version (4) and
 * variant bits of a random UUID set, so that it is a UUID the API accepts (`isUUID`).
 */
export const benchUserIdSql = (expression: string) =>
  `overlay(overlay(md5('user' || ${expression}) placing '4' from 13) placing '8' from 17)::uuid`;

/** What the inserts need of a DataSource (a `pg` pool wrapped in `query` will do too). */
export type Queryable = Pick<DataSource, 'query'>;

/** The token of bench session `n`. */
export function benchToken(n: number): string {
  return `bench${String(n).padStart(27, '0')}`;
}

/** Whether bench session `n` of the main data set is expired (one in ten is). */
export function isExpiredSession(n: number): boolean {
  return n % 10 === 0;
}

/** Inserts users 1 to `count` (`user<n>@bench.example`). */
export async function insertUsers(dataSource: Queryable, count: number): Promise<void> {
  await dataSource.query(
    `INSERT INTO auth.users (id, email, name)
     SELECT ${benchUserIdSql('g')}, 'user' || g || '@bench.example', 'User ' || g
       FROM generate_series(1, $1) g`,
    [count],
  );
}

/**
 * Inserts sessions `from` to `to`, spread round-robin over users 1 to `users`. With
 * `expired: 'tenth'` every tenth is expired (see {@link isExpiredSession}); the others expire in
 * 7 days less up to an hour, so none is due for renewal during the run.
 */
export async function insertSessions(
  dataSource: Queryable,
  range: { from: number; to: number; users: number; expired: 'none' | 'tenth' | 'all' },
): Promise<void> {
  await dataSource.query(
    `INSERT INTO auth.sessions (user_id, token, expires_at, ip_address, user_agent)
     SELECT ${benchUserIdSql('(1 + g % $3)')},
            ${STORED_TOKEN(`'bench' || lpad(g::text, 27, '0')`)},
            CASE WHEN $4 = 'all' OR ($4 = 'tenth' AND g % 10 = 0)
                 THEN now() - interval '1 hour' - (g % 3600) * interval '1 second'
                 ELSE now() + interval '7 days' - (g % 3600) * interval '1 second' END,
            '203.0.113.1', 'nest-auth-db bench'
       FROM generate_series($1::int, $2::int) g`,
    [range.from, range.to, range.users, range.expired],
  );
  await dataSource.query(`ANALYZE auth.sessions`);
}

/**
 * The main data set of the benches: users 1 to `users` and sessions 1 to `sessions` over them, a
 * tenth expired ({@link isExpiredSession}); session n belongs to user `1 + n % users`.
 */
export async function insertUsersAndSessions(
  dataSource: Queryable,
  size: { users: number; sessions: number },
): Promise<void> {
  await insertUsers(dataSource, size.users);
  await insertSessions(dataSource, {
    from: 1,
    to: size.sessions,
    users: size.users,
    expired: 'tenth',
  });
}

/**
 * Inserts `count` users of the form `victim<i>@bench.example`, each with `sessionsEach` sessions
 * (tokens of their own); returns their ids.
 */
export async function insertUsersWithSessions(
  dataSource: Queryable,
  count: number,
  sessionsEach: number,
): Promise<string[]> {
  const rows = await dataSource.query<{ id: string }[]>(
    `INSERT INTO auth.users (email, name)
     SELECT 'victim' || g || '@bench.example', 'Victim ' || g FROM generate_series(1, $1) g
     RETURNING id`,
    [count],
  );
  const ids = rows.map((row) => row.id);
  await dataSource.query(
    `INSERT INTO auth.sessions (user_id, token, expires_at)
     SELECT u, ${STORED_TOKEN(`'victim' || left(u::text, 8) || lpad(g::text, 12, '0')`)},
            now() + interval '7 days'
       FROM unnest($1::uuid[]) u, generate_series(1, $2) g`,
    [ids, sessionsEach],
  );
  await dataSource.query(`ANALYZE auth.sessions`);
  return ids;
}

/**
 * Inserts `perUser` items for each of users 1 to `users`, all in one category `bench` (made
 * here), so that a page of a user's items (newest first) is full while `perUser` exceeds it.
 */
export async function insertItems(
  dataSource: Queryable,
  range: { users: number; perUser: number },
): Promise<void> {
  await dataSource.query(
    `WITH category AS (
       INSERT INTO master.categories (slug, name) VALUES ('bench', 'Bench') RETURNING id)
     INSERT INTO app.items (user_id, category_id, title)
     SELECT ${benchUserIdSql('u')}, category.id, 'Item ' || i
       FROM generate_series(1, $1::int) u, generate_series(1, $2::int) i, category`,
    [range.users, range.perUser],
  );
  await dataSource.query('ANALYZE app.items');
}

/** The id of bench user `n`, as {@link benchUserIdSql} makes it. */
export function benchUserId(n: number): string {
  const hex = createHash('md5').update(`user${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}
