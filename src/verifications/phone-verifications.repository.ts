import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { isConstraintViolation, PG_UNIQUE_VIOLATION } from '../database/postgres-errors';
import { User } from '../users/user.entity';
import { generateOneTimeCode, hashOneTimeCode, oneTimeCodeMatches } from './one-time-code';
import { PHONE_VERIFICATION_MAX_ATTEMPTS, PhoneVerification } from './phone-verification.entity';

/** The outcome of a code check. */
export type PhoneVerificationResult =
  'verified' | 'wrong-code' | 'expired' | 'too-many-attempts' | 'already-verified' | 'not-found';

/** What {@link PhoneVerificationsRepository.issueForUser} did. */
export type PhoneCodeIssue =
  | { issued: true; verification: PhoneVerification; code: string }
  | { issued: false; retryAfterSeconds: number };

/**
 * The outcome of {@link PhoneVerificationsRepository.confirmForUser}: on success the user with the
 * number set; `phone-number-taken` when another user already has the number.
 */
export type PhoneConfirmation =
  | { result: 'verified'; user: User }
  | { result: Exclude<PhoneVerificationResult, 'verified'> | 'phone-number-taken' };

/** The repository of {@link PhoneVerification}: issuing codes and checking them. */
@Injectable()
export class PhoneVerificationsRepository extends Repository<PhoneVerification> {
  constructor(dataSource: DataSource) {
    super(PhoneVerification, dataSource.createEntityManager());
  }

  /**
   * Stores a new verification of `phoneNumber` for a signed-in user, unless that user was issued
   * one (for any number) less than `resendSeconds` ago by the database clock.
   *
   * @param ttlSeconds how long the code is valid, in seconds.
   * @param resendSeconds the least time between two codes of one user, in seconds (0: no limit).
   * @returns the row and the code to send (only its hash is stored), or, when refused, the
   *   seconds until a new code may be issued (1 or more).
   * @throws QueryFailedError (check `phone_verifications_phone_number_check`) for a number that
   *   is not in E.164 form; (foreign key `phone_verifications_user_id_fkey`) for an unknown user.
   */
  async issueForUser(
    userId: string,
    phoneNumber: string,
    { ttlSeconds, resendSeconds }: { ttlSeconds: number; resendSeconds: number },
  ): Promise<PhoneCodeIssue> {
    const code = generateOneTimeCode();
    // scrypt takes tens of ms: hash before the transaction, so the lock is held only for SQL.
    const codeHash = await hashOneTimeCode(code);
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    return this.manager.transaction(async (manager) => {
      // Under READ COMMITTED, two concurrent INSERT ... WHERE NOT EXISTS both see no recent row
      // and both insert. This lock, per user and held until commit, makes the second wait and
      // then see the first one's row (each statement takes a fresh snapshot).
      await manager.query(
        `SELECT pg_advisory_xact_lock(hashtext('auth.phone_verifications'), hashtext($1))`,
        [userId],
      );
      const inserted = await manager.query<PhoneVerification[]>(
        `INSERT INTO auth.phone_verifications (phone_number, user_id, code_hash, expires_at)
         SELECT $1, $2, $3, $4
          WHERE NOT EXISTS (
                SELECT 1 FROM auth.phone_verifications
                 WHERE user_id = $2 AND created_at > now() - make_interval(secs => $5::float8))
         RETURNING id, phone_number AS "phoneNumber", user_id AS "userId", code_hash AS "codeHash",
                   expires_at AS "expiresAt", attempts, verified_at AS "verifiedAt",
                   created_at AS "createdAt", updated_at AS "updatedAt"`,
        [phoneNumber, userId, codeHash, expiresAt, resendSeconds],
      );
      if (inserted[0]) {
        return { issued: true, verification: manager.create(PhoneVerification, inserted[0]), code };
      }
      const [last] = await manager.query<{ seconds: number }[]>(
        `SELECT ceil(extract(epoch FROM max(created_at) + make_interval(secs => $2::float8)
                                        - clock_timestamp()))::int AS seconds
           FROM auth.phone_verifications WHERE user_id = $1`,
        [userId, resendSeconds],
      );
      return { issued: false, retryAfterSeconds: Math.max(1, last?.seconds ?? 1) };
    });
  }

  /**
   * Checks a code of `userId`'s verification and, when it is right, in the same transaction marks
   * the verification verified and gives the user its number, verified. The row is locked while it
   * is checked, so that concurrent guesses each count: after
   * {@link PHONE_VERIFICATION_MAX_ATTEMPTS} wrong codes the verification is spent, even for the
   * right code. Another user's verification counts as unknown (`not-found`), and its attempts are
   * left alone.
   *
   * @returns the outcome; `phone-number-taken` (unique `users_phone_number_key`) changes nothing,
   *   not even the attempt counter.
   */
  async confirmForUser(id: string, userId: string, code: string): Promise<PhoneConfirmation> {
    try {
      return await this.manager.transaction(async (manager): Promise<PhoneConfirmation> => {
        const result = await this.check(manager, { id, userId }, code);
        if (result !== 'verified') return { result };
        return { result, user: await this.setVerifiedPhone(manager, id, userId) };
      });
    } catch (error) {
      if (isConstraintViolation(error, PG_UNIQUE_VIOLATION, 'users_phone_number_key')) {
        return { result: 'phone-number-taken' };
      }
      throw error;
    }
  }

  /**
   * Locks the verification and checks `code`, counting a wrong one. `verified` means the code is
   * right: the caller records it in the same transaction.
   */
  private async check(
    manager: EntityManager,
    where: { id: string; userId?: string },
    code: string,
  ): Promise<PhoneVerificationResult> {
    const row = await manager.findOne(PhoneVerification, {
      where,
      lock: { mode: 'pessimistic_write' },
    });
    if (!row) return 'not-found';
    if (row.verifiedAt) return 'already-verified';
    if (row.attempts >= PHONE_VERIFICATION_MAX_ATTEMPTS) return 'too-many-attempts';
    if (row.expiresAt.getTime() <= Date.now()) return 'expired';
    if (await oneTimeCodeMatches(code, row.codeHash)) return 'verified';
    await manager.increment(PhoneVerification, { id: row.id }, 'attempts', 1);
    return 'wrong-code';
  }

  /**
   * Marks the verification verified and copies its number to the user, in one statement whose
   * user update happens only if the verification was still pending and the user's own.
   *
   * @throws QueryFailedError (unique `users_phone_number_key`) when another user has the number.
   */
  private async setVerifiedPhone(
    manager: EntityManager,
    id: string,
    userId: string,
  ): Promise<User> {
    // TypeORM answers an UPDATE with [rows, row count].
    const [, updated] = await manager.query<[unknown[], number]>(
      `WITH verified AS (
         UPDATE auth.phone_verifications SET verified_at = now()
          WHERE id = $1 AND user_id = $2 AND verified_at IS NULL
          RETURNING user_id, phone_number)
       UPDATE auth.users AS u
          SET phone_number = verified.phone_number, phone_number_verified = true
         FROM verified
        WHERE u.id = verified.user_id`,
      [id, userId],
    );
    // The row is locked and was just checked; this would be a bug, answered 500.
    if (updated !== 1) {
      throw new Error(`Phone verification ${id} of user ${userId} was not pending`);
    }
    return manager.findOneByOrFail(User, { id: userId });
  }
}
