import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/environment';
import type { Session } from './session.entity';
import { type SessionRenewal, SessionsRepository } from './sessions.repository';

/** What one {@link SessionsService.deleteExpired} run did; durations in milliseconds. */
export interface ExpiredSessionsCleanup {
  deleted: number;
  batches: number;
  longestBatchMs: number;
}

/**
 * Validates, renews and revokes sessions, and deletes expired ones. Sessions are created only by
 * Better Auth's sign-in, from a credential.
 */
@Injectable()
export class SessionsService {
  private readonly renewal: SessionRenewal;
  private readonly cleanupBatchSize: number;

  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.renewal = {
      ttlSeconds: config.SESSION_TTL_SECONDS,
      updateAgeSeconds: config.SESSION_UPDATE_AGE_SECONDS,
    };
    this.cleanupBatchSize = config.SESSION_CLEANUP_BATCH_SIZE;
  }

  /**
   * The unexpired session with this token, with its user; one round trip in the ordinary case.
   * An expired session is deleted. A session used at least `SESSION_UPDATE_AGE_SECONDS` (default
   * 1 day) after it was created or last renewed is renewed: its `expiresAt` becomes now +
   * `SESSION_TTL_SECONDS`, at most once per that age.
   *
   * @returns the session (with the renewed `expiresAt` if renewed), or null when the token is
   *   unknown or expired.
   */
  validate(token: string): Promise<Session | null> {
    return this.sessions.findValidByToken(token, this.renewal);
  }

  /** Deletes the session. @returns false when it no longer existed. */
  async revoke(sessionId: string): Promise<boolean> {
    const result = await this.sessions.delete({ id: sessionId });
    return Boolean(result.affected);
  }

  /** Deletes every session of the user (signs it out everywhere). @returns how many there were. */
  async revokeAll(userId: string): Promise<number> {
    const result = await this.sessions.delete({ userId });
    return result.affected ?? 0;
  }

  /**
   * Deletes every expired session, in batches of at most `batchSize` rows, each its own short
   * statement, until a batch comes back short. Safe to run from several instances at once (see
   * {@link SessionsRepository.deleteExpiredBatch}).
   *
   * @param batchSize rows per batch, default `SESSION_CLEANUP_BATCH_SIZE` (1000).
   * @throws RangeError when `batchSize` is not a positive integer.
   */
  async deleteExpired(batchSize = this.cleanupBatchSize): Promise<ExpiredSessionsCleanup> {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    const result: ExpiredSessionsCleanup = { deleted: 0, batches: 0, longestBatchMs: 0 };
    for (;;) {
      const started = performance.now();
      const deleted = await this.sessions.deleteExpiredBatch(batchSize);
      result.longestBatchMs = Math.max(result.longestBatchMs, performance.now() - started);
      result.batches++;
      result.deleted += deleted;
      if (deleted < batchSize) return result;
    }
  }
}
