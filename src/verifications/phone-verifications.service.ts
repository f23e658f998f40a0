import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { SmsSender } from '../auth/sms/sms-sender';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/environment';
import { TooManyRequestsException } from '../http/too-many-requests.exception';
import type { User } from '../users/user.entity';
import { PHONE_VERIFICATION_MAX_ATTEMPTS } from './phone-verification.entity';
import {
  type PhoneVerificationResponse,
  toPhoneVerificationResponse,
} from './phone-verification.response';
import { PhoneVerificationsRepository } from './phone-verifications.repository';

/** The body of an error that names one field, for `HttpExceptionFilter`. */
const fieldError = (field: string, message: string) => ({ message, details: [{ field, message }] });

/**
 * Verifies a signed-in user's phone number: sends a one-time code by SMS, then checks it and
 * gives the user the number. Codes live `PHONE_CODE_TTL_SECONDS`; a user gets at most one every
 * `PHONE_CODE_RESEND_SECONDS`.
 */
@Injectable()
export class PhoneVerificationsService {
  private readonly ttlSeconds: number;
  private readonly resendSeconds: number;

  constructor(
    private readonly verifications: PhoneVerificationsRepository,
    private readonly sms: SmsSender,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlSeconds = config.PHONE_CODE_TTL_SECONDS;
    this.resendSeconds = config.PHONE_CODE_RESEND_SECONDS;
  }

  /**
   * Issues a code for `phoneNumber` (E.164, validated by the DTO) and sends it by SMS. If the
   * SMS cannot be sent, the verification is deleted, so that it does not hold back a retry.
   *
   * @throws TooManyRequestsException (429, `Retry-After` in seconds) when the user was sent a
   *   code less than `PHONE_CODE_RESEND_SECONDS` ago; whatever the SmsSender throws (500).
   */
  async request(userId: string, phoneNumber: string): Promise<PhoneVerificationResponse> {
    const issue = await this.verifications.issueForUser(userId, phoneNumber, {
      ttlSeconds: this.ttlSeconds,
      resendSeconds: this.resendSeconds,
    });
    if (!issue.issued) {
      throw new TooManyRequestsException(
        issue.retryAfterSeconds,
        `A code was sent less than ${this.resendSeconds} seconds ago: retry in ${issue.retryAfterSeconds} seconds`,
      );
    }
    const { verification, code } = issue;
    try {
      await this.sms.send(
        phoneNumber,
        `${code} is your verification code. It expires in ${Math.floor(this.ttlSeconds / 60)} min.`,
      );
    } catch (error) {
      await this.verifications.delete({ id: verification.id });
      throw error;
    }
    return toPhoneVerificationResponse(verification);
  }

  /**
   * Checks the code of the user's verification `id` and, when right, sets the user's
   * `phoneNumber` and `phoneNumberVerified: true` in the same transaction.
   *
   * @returns the user, updated.
   * @throws NotFoundException (404) for an unknown id or another user's verification;
   *   BadRequestException (400, field `code`) for a wrong, expired or already used code;
   *   HttpException 429 (field `code`) after {@link PHONE_VERIFICATION_MAX_ATTEMPTS} wrong codes;
   *   ConflictException (409, field `phoneNumber`) when another user has the number verified.
   */
  async confirm(userId: string, id: string, code: string): Promise<User> {
    const outcome = await this.verifications.confirmForUser(id, userId, code);
    switch (outcome.result) {
      case 'verified':
        return outcome.user;
      case 'not-found':
        throw new NotFoundException(`Phone verification ${id} not found`);
      case 'wrong-code':
        throw new BadRequestException(fieldError('code', 'code is wrong'));
      case 'expired':
        throw new BadRequestException(fieldError('code', 'code has expired: request a new one'));
      case 'already-verified':
        throw new BadRequestException(fieldError('code', 'code has already been used'));
      case 'too-many-attempts':
        throw new HttpException(
          fieldError(
            'code',
            `code was wrong ${PHONE_VERIFICATION_MAX_ATTEMPTS} times: request a new one`,
          ),
          HttpStatus.TOO_MANY_REQUESTS,
        );
      case 'phone-number-taken':
        throw new ConflictException(
          fieldError('phoneNumber', 'phoneNumber is already verified by another user'),
        );
    }
  }
}
