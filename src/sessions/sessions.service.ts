import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { isConstraintViolation, PG_FOREIGN_KEY_VIOLATION } from '../database/postgres-errors';
import type { Session } from './session.entity';
import { generateSessionToken } from './session-token';
import { SessionsRepository } from './sessions.repository';

/** Where a session was opened from; both are optional. */
export interface SessionOrigin {
  ipAddress?: string | null;
  userAgent?: string | null;
}

/** Creates, validates and revokes sessions. */
@Injectable()
export class SessionsService {
  private readonly ttlMs: number;

  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(ConfigService) config: ConfigService<Environment, true>,
  ) {
    this.ttlMs = config.get('SESSION_TTL_SECONDS', { infer: true }) * 1000;
  }

  /**
   * Opens a session for the user, valid for `SESSION_TTL_SECONDS` (default 7 days).
   *
   * @returns the stored session, whose `token` is shown to the client this once.
   * @throws NotFoundException (404) when the user does not exist (the foreign key decides).
   */
  async create(userId: string, origin: SessionOrigin = {}): Promise<Session> {
    const session = this.sessions.create({
      userId,
      token: generateSessionToken(),
      expiresAt: new Date(Date.now() + this.ttlMs),
      ipAddress: origin.ipAddress ?? null,
      userAgent: origin.userAgent ?? null,
    });
    try {
      return await this.sessions.save(session);
    } catch (error) {
      if (isConstraintViolation(error, PG_FOREIGN_KEY_VIOLATION, 'sessions_user_id_fkey')) {
        throw new NotFoundException(`User ${userId} not found`);
      }
      throw error;
    }
  }

  /** The unexpired session with this token and its user, or null. One query. */
  findValid(token: string): Promise<Session | null> {
    return this.sessions.findValidByToken(token);
  }

  /** Deletes the session. @returns false when it no longer existed. */
  async revoke(sessionId: string): Promise<boolean> {
    const result = await this.sessions.delete({ id: sessionId });
    return Boolean(result.affected);
  }
}
