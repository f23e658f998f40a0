import { ApiProperty } from '@nestjs/swagger';
import type { PhoneVerification } from './phone-verification.entity';

/** A phone verification as the API shows it: never the code or its hash. */
export class PhoneVerificationResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '+33612345678' })
  phoneNumber!: string;

  @ApiProperty()
  expiresAt!: Date;
}

/** Keeps only the fields a client may see. */
export function toPhoneVerificationResponse(
  verification: PhoneVerification,
): PhoneVerificationResponse {
  const { id, phoneNumber, expiresAt } = verification;
  return { id, phoneNumber, expiresAt };
}
