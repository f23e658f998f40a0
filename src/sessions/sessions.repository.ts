import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, Repository } from 'typeorm';
import { hashSessionToken } from '../auth/session-token-hash';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/environment';
import { ADMIN_ROLES, hasAnyRole } from '../auth/roles';
import { postgresPool } from '../database/postgres-pool';
import { Session } from './session.entity';
import { type SessionLookupRow, sessionLookupQuery, toSessionEntity } from './session-lookup.query';

/**
 * Sliding renewal: a session is renewed (its `expires_at` set to `now() + ttlSeconds`) once it
 * has been at least `updateAgeSeconds` since it was created or last renewed. Better Auth's
 * `session.expiresIn` and `session.updateAge` (better-auth.com/docs/concepts/session-management).
 */
export interface SessionRenewal {
  ttlSeconds: number;
  updateAgeSeconds: number;
}

/** The repository of {@link Session}, with the token lookup every authenticated request makes. */
@Injectable()
export class SessionsRepository extends Repository<Session> {
  /** Whether the lookup is a named prepared statement (`DATABASE_PREPARED_STATEMENTS`). */
  private readonly namedLookup: boolean;

  constructor(dataSource: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    super(Session, dataSource.createEntityManager());
    this.namedLookup = config.DATABASE_PREPARED_STATEMENTS;
  }

  /**
   * The unexpired session with this token, with its user. The token is hashed first (SHA-256, a
   * few microseconds): the table holds only hashes. An ordinary call is one round trip (a
   * prepared statement, or an unnamed one with `DATABASE_PREPARED_STATEMENTS=false`, see
   * `session-lookup.query.ts`). Expiry is decided by the database clock.
   * A second statement runs only when the session is expired (it is deleted) or, with `renewal`,
   * when it is due for renewal (its `expires_at` is pushed forward, see {@link renewIfDue}).
   *
   * A session is refused, but kept, while its user is banned (a ban written by any path counts
   * at once, not only Better Auth's, which also deletes the sessions), and an impersonation
   * session while the admin who opened it is banned or no longer has an admin role.
   *
   * @param token the token as the client presents it, never its hash: a stored hash presented as
   *   a token is hashed again and matches nothing.
   * @returns the session with `user` loaded (its `token` is the stored hash), or null when the
   *   token is unknown or expired, or the session refused.
   */
  async findValidByToken(token: string, renewal?: SessionRenewal): Promise<Session | null> {
    const renewWithin = renewal ? renewal.ttlSeconds - renewal.updateAgeSeconds : null;
    const tokenHash = hashSessionToken(token);
    const { rows } = await this.pool().query<SessionLookupRow>(
      sessionLookupQuery(tokenHash, renewWithin, this.namedLookup),
    );
    const row = rows[0];
    if (!row) return null;
    if (!row.valid) {
      await this.deleteIfExpired(row.id);
      return null;
    }
    if (isRefused(row)) return null;
    const session = toSessionEntity(row, tokenHash);
    if (renewal && row.renew_due) {
      const renewed = await this.renewIfDue(row.id, renewal);
      if (renewed) Object.assign(session, renewed);
    }
    return session;
  }

  /**
   * Sets `expires_at` to `now() + ttlSeconds` if the session is unexpired and was created or last
   * renewed at least `updateAgeSeconds` ago (`expires_at <= now() + ttl - updateAge`). The
   * condition sits in the UPDATE, so concurrent callers renew a session at most once per age.
   *
   * @returns the new `expiresAt` and `updatedAt`, or null when nothing was due (or no such session).
   */
  async renewIfDue(
    sessionId: string,
    renewal: SessionRenewal,
  ): Promise<Pick<Session, 'expiresAt' | 'updatedAt'> | null> {
    const { rows } = await this.pool().query<{ expires_at: Date; updated_at: Date }>(
      `UPDATE auth.sessions SET expires_at = now() + make_interval(secs => $2::float8)
        WHERE id = $1 AND expires_at > now()
          AND expires_at <= now() + make_interval(secs => $3::float8)
        RETURNING expires_at, updated_at`,
      [sessionId, renewal.ttlSeconds, renewal.ttlSeconds - renewal.updateAgeSeconds],
    );
    const row = rows[0];
    return row ? { expiresAt: row.expires_at, updatedAt: row.updated_at } : null;
  }

  /** Deletes the session if it is expired by the database clock. @returns whether it was. */
  async deleteIfExpired(sessionId: string): Promise<boolean> {
    const { rowCount } = await this.pool().query(
      `DELETE FROM auth.sessions WHERE id = $1 AND expires_at <= now()`,
      [sessionId],
    );
    return Boolean(rowCount);
  }

  /**
   * Deletes up to `limit` expired sessions, oldest expiry first, in one short statement. Rows that
   * another transaction holds are skipped (`FOR UPDATE SKIP LOCKED`), so several app instances
   * cleaning up at once neither wait for nor delete each other's rows.
   *
   * @param limit the largest number of rows to delete, a positive integer.
   * @returns the number of rows deleted; fewer than `limit` means none was left to take.
   */
  async deleteExpiredBatch(limit: number): Promise<number> {
    const { rowCount } = await this.pool().query(
      `DELETE FROM auth.sessions WHERE id IN (
         SELECT id FROM auth.sessions WHERE expires_at <= now()
          ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)`,
      [limit],
    );
    return rowCount ?? 0;
  }

  private pool(): Pool {
    return postgresPool(this.manager.dataSource);
  }
}

/** A banned user's session, or an impersonation session of an admin no longer in good standing. */
function isRefused(row: SessionLookupRow): boolean {
  if (row.banned_now) return true;
  if (row.impersonated_by === null) return false;
  return row.impersonator_banned_now === true || !hasAnyRole(row.impersonator_role, ADMIN_ROLES);
}
