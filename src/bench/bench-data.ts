import type { DataSource } from 'typeorm';

/*
 * Bench rows are made by PostgreSQL itself with generate_series, so that a million rows take
 * seconds. Row n is predictable from n alone: user n has id md5('user' || n)::uuid, session n the
 * token 'bench' followed by n on 27 digits (32 letters and digits, the format of real tokens),
 * stored as the app stores every token: its SHA-256 in hex (`hashSessionToken`).
 */

/** SQL for what `auth.sessions.token` stores for the token `expression` (`hashSessionToken`). */
const STORED_TOKEN = (expression: string) =>
  `encode(sha256(convert_to(${expression}, 'UTF8')), 'hex')`;

/** The token of bench session `n`. */
export function benchToken(n: number): string {
  return `bench${String(n).padStart(27, '0')}`;
}

/** Whether bench session `n` of the main data set is expired (one in ten is). */
export function isExpiredSession(n: number): boolean {
  return n % 10 === 0;
}

/** Inserts users 1 to `count` (`user<n>@bench.example`). */
export async function insertUsers(dataSource: DataSource, count: number): Promise<void> {
  await dataSource.query(
    `INSERT INTO auth.users (id, email, name)
     SELECT md5('user' || g)::uuid, 'user' || g || '@bench.example', 'User ' || g
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
  dataSource: DataSource,
  range: { from: number; to: number; users: number; expired: 'none' | 'tenth' | 'all' },
): Promise<void> {
  await dataSource.query(
    `INSERT INTO auth.sessions (user_id, token, expires_at, ip_address, user_agent)
     SELECT md5('user' || (1 + g % $3))::uuid,
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
 * Inserts `count` users of the form `victim<i>@bench.example`, each with `sessionsEach` sessions
 * (tokens of their own); returns their ids.
 */
export async function insertUsersWithSessions(
  dataSource: DataSource,
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
