import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/environment';
import { LogSmsSender } from './log.sms-sender';
import { SmsSender } from './sms-sender';
import { UnavailableSmsSender } from './unavailable.sms-sender';

/**
 * Provides the {@link SmsSender}: in development the {@link LogSmsSender}, which logs codes; in
 * production (`NODE_ENV=production`), where codes must never be logged, the
 * {@link UnavailableSmsSender}, so phone verification answers 503 until this provider is replaced
 * by a real one (a class extending `SmsSender` that calls the provider's API).
 */
@Module({
  providers: [
    {
      provide: SmsSender,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): SmsSender => {
        const nodeEnv = config.NODE_ENV;
        return nodeEnv === 'production' ? new UnavailableSmsSender() : new LogSmsSender(nodeEnv);
      },
    },
  ],
  exports: [SmsSender],
})
export class SmsModule {}
