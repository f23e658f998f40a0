import { Module } from '@nestjs/common';
import { SmsModule } from '../auth/sms/sms.module';
import { PhoneVerificationsController } from './phone-verifications.controller';
import { PhoneVerificationsRepository } from './phone-verifications.repository';
import { PhoneVerificationsService } from './phone-verifications.service';

/**
 * Phone verification of the signed-in user (`/users/me/phone`), with codes sent through the
 * {@link SmsModule}'s `SmsSender`; exports {@link PhoneVerificationsRepository}.
 */
@Module({
  imports: [SmsModule],
  controllers: [PhoneVerificationsController],
  providers: [PhoneVerificationsRepository, PhoneVerificationsService],
  exports: [PhoneVerificationsRepository],
})
export class VerificationsModule {}
