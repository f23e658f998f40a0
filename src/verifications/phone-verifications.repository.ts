import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { generateOneTimeCode, hashOneTimeCode, oneTimeCodeMatches } from './one-time-code';
import { PHONE_VERIFICATION_MAX_ATTEMPTS, PhoneVerification } from './phone-verification.entity';

/** The outcome of a code check. */
export type PhoneVerificationResult =
  'verified' | 'wrong-code' | 'expired' | 'too-many-attempts' | 'already-verified' | 'not-found';

/** The repository of {@link PhoneVerification}: issuing codes and checking them. */
@Injectable()
export class PhoneVerificationsRepository extends Repository<PhoneVerification> {
  constructor(dataSource: DataSource) {
    super(PhoneVerification, dataSource.createEntityManager());
  }

  /**
   * Stores a new verification for an E.164 phone number.
   *
   * @param ttlMs how long the code is valid, in ms (default 10 minutes).
   * @returns the row, and the code to send by SMS: it is not stored, only its hash.
   * @throws QueryFailedError (check `phone_verifications_phone_number_check`) for a number that
   *   is not in E.164 form.
   */
  async issue(
    phoneNumber: string,
    userId: string | null = null,
    ttlMs = 10 * 60 * 1000,
  ): Promise<{ verification: PhoneVerification; code: string }> {
    const code = generateOneTimeCode();
    const verification = await this.save(
      this.create({
        phoneNumber,
        userId,
        codeHash: await hashOneTimeCode(code),
        expiresAt: new Date(Date.now() + ttlMs),
      }),
    );
    return { verification, code };
  }

  /**
   * Checks a code. The row is locked while it is checked, so that concurrent guesses each count:
   * after {@link PHONE_VERIFICATION_MAX_ATTEMPTS} wrong codes the verification is spent, even
   * for the right code.
   */
  async verify(id: string, code: string): Promise<PhoneVerificationResult> {
    return this.manager.transaction(async (manager) => {
      const row = await manager.findOne(PhoneVerification, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) return 'not-found';
      if (row.verifiedAt) return 'already-verified';
      if (row.attempts >= PHONE_VERIFICATION_MAX_ATTEMPTS) return 'too-many-attempts';
      if (row.expiresAt.getTime() <= Date.now()) return 'expired';
      if (await oneTimeCodeMatches(code, row.codeHash)) {
        await manager.update(PhoneVerification, { id }, { verifiedAt: () => 'now()' });
        return 'verified';
      }
      await manager.increment(PhoneVerification, { id }, 'attempts', 1);
      return 'wrong-code';
    });
  }
}
