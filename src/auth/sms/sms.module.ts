import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../../config/environment';
import { LogSmsSender } from './log.sms-sender';
import { SmsSender } from './sms-sender';

/**
 * Provides the {@link SmsSender}: the development {@link LogSmsSender}, which refuses to exist
 * when `NODE_ENV=production`, so the app does not start there until this provider is replaced by
 * a real one (a class extending `SmsSender` that calls the provider's API).
 */
@Module({
  providers: [
    {
      provide: SmsSender,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>): SmsSender =>
        new LogSmsSender(config.get('NODE_ENV', { infer: true })),
    },
  ],
  exports: [SmsSender],
})
export class SmsModule {}
