import { Module } from '@nestjs/common';
import { PhoneVerificationsRepository } from './phone-verifications.repository';

/** Phone verifications (no HTTP API yet); exports {@link PhoneVerificationsRepository}. */
@Module({
  providers: [PhoneVerificationsRepository],
  exports: [PhoneVerificationsRepository],
})
export class VerificationsModule {}
