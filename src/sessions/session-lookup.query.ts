import type { QueryConfig } from 'pg';
import { HOT_PATH_TYPES } from '../database/timestamptz-parser';
import { User } from '../users/user.entity';
import { Session } from './session.entity';

/*
 * The session lookup runs on every authenticated request, so it bypasses TypeORM's query
 * building and result mapping: measured on this stack, `findOne` with `relations` reached 0.13 to
 * 0.17 of the ops/s of a prepared statement sent with `pg`, and a QueryBuilder about 0.4. This is
 * that prepared statement (named, so each pooled connection parses and plans it once), sent
 * through the pool TypeORM already owns, with the row mapped to the entities by hand. Behind a
 * transaction-pooling PgBouncer older than 1.21 it is sent unnamed instead
 * (`DATABASE_PREPARED_STATEMENTS=false`).
 * `npm run bench` compares it with raw `pg` and `findOne` (docs/PERFORMANCE.md).
 */

/** Name of the prepared statement on each connection; must not be reused for another text. */
export const SESSION_LOOKUP_STATEMENT = 'auth_session_lookup';

/**
 * The session whose stored token is `$1` (the token's SHA-256, see `hashSessionToken`) joined
 * with its user (and, for an impersonation session, the admin who opened it), in one round trip,
 * whether expired or not (so that an expired one can be removed). Decided by the database clock:
 * `valid` when `expires_at > now()`; `renew_due` when `expires_at` is at most `$2` seconds ahead
 * (null when `$2` is null); `banned_now` when the user is banned and the ban has not expired,
 * `impersonator_banned_now` likewise for the admin (null when not impersonated).
 */
export const SESSION_LOOKUP_SQL = `SELECT s.id, s.user_id, s.expires_at, s.ip_address, s.user_agent,
       s.impersonated_by, s.created_at, s.updated_at,
       u.email, u.email_verified, u.name, u.image, u.phone_number, u.phone_number_verified,
       u.role, u.banned, u.ban_expires,
       u.created_at AS user_created_at, u.updated_at AS user_updated_at,
       s.expires_at > now() AS valid,
       s.expires_at <= now() + make_interval(secs => $2::float8) AS renew_due,
       u.banned AND (u.ban_expires IS NULL OR u.ban_expires > now()) AS banned_now,
       a.role AS impersonator_role,
       a.banned AND (a.ban_expires IS NULL OR a.ban_expires > now()) AS impersonator_banned_now
  FROM auth.sessions s
  JOIN auth.users u ON u.id = s.user_id
  LEFT JOIN auth.users a ON a.id = s.impersonated_by
 WHERE s.token = $1`;

/** One row of {@link SESSION_LOOKUP_SQL}, as `pg` parses it (timestamptz as Date). */
export interface SessionLookupRow {
  id: string;
  user_id: string;
  expires_at: Date;
  ip_address: string | null;
  user_agent: string | null;
  impersonated_by: string | null;
  created_at: Date;
  updated_at: Date;
  email: string;
  email_verified: boolean;
  name: string;
  image: string | null;
  phone_number: string | null;
  phone_number_verified: boolean;
  role: string;
  banned: boolean;
  ban_expires: Date | null;
  user_created_at: Date;
  user_updated_at: Date;
  valid: boolean;
  renew_due: boolean | null;
  banned_now: boolean;
  impersonator_role: string | null;
  impersonator_banned_now: boolean | null;
}

/**
 * The query config for `pool.query`.
 *
 * @param tokenHash the SHA-256 of the token as presented (`hashSessionToken`), as stored.
 * @param renewWithinSeconds `renew_due` is true when the session expires within this many
 *   seconds; null leaves `renew_due` null.
 * @param named true: the named prepared statement {@link SESSION_LOOKUP_STATEMENT}; false: an
 *   unnamed statement, parsed and planned on each call, which any server connection can run
 *   (PgBouncer before 1.21 in transaction pooling mode, `DATABASE_PREPARED_STATEMENTS=false`).
 *   Either way the row's timestamps are parsed with `HOT_PATH_TYPES`.
 */
export function sessionLookupQuery(
  tokenHash: string,
  renewWithinSeconds: number | null,
  named = true,
): QueryConfig<[string, number | null]> {
  // Two literals, not a spread of the name into one: the spread cost 0.7 microseconds a call.
  const values: [string, number | null] = [tokenHash, renewWithinSeconds];
  return named
    ? { name: SESSION_LOOKUP_STATEMENT, text: SESSION_LOOKUP_SQL, values, types: HOT_PATH_TYPES }
    : { text: SESSION_LOOKUP_SQL, values, types: HOT_PATH_TYPES };
}

/**
 * The {@link Session} entity, with `user` set, that a lookup row describes. Its `token` is the
 * stored hash, as in the table: the token itself is never kept, not even in memory.
 */
export function toSessionEntity(row: SessionLookupRow, tokenHash: string): Session {
  const user = new User();
  user.id = row.user_id;
  user.email = row.email;
  user.emailVerified = row.email_verified;
  user.name = row.name;
  user.image = row.image;
  user.phoneNumber = row.phone_number;
  user.phoneNumberVerified = row.phone_number_verified;
  user.role = row.role;
  user.banned = row.banned;
  user.banExpires = row.ban_expires;
  user.createdAt = row.user_created_at;
  user.updatedAt = row.user_updated_at;

  const session = new Session();
  session.id = row.id;
  session.userId = row.user_id;
  session.user = user;
  session.token = tokenHash;
  session.expiresAt = row.expires_at;
  session.ipAddress = row.ip_address;
  session.userAgent = row.user_agent;
  session.impersonatedBy = row.impersonated_by;
  session.createdAt = row.created_at;
  session.updatedAt = row.updated_at;
  return session;
}
