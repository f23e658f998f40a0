import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.module';
import type { AppConfig } from '../../config/environment';
import { LogMailer } from './log.mailer';
import { Mailer } from './mailer';
import { SmtpMailer } from './smtp.mailer';

/**
 * Provides the {@link Mailer}: SMTP through nodemailer when `SMTP_URL` is set, else the
 * development {@link LogMailer} (which refuses to exist in production).
 */
@Module({
  providers: [
    {
      provide: Mailer,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Mailer => {
        const url = config.SMTP_URL;
        return url ? new SmtpMailer(url, config.MAIL_FROM) : new LogMailer(config.NODE_ENV);
      },
    },
  ],
  exports: [Mailer],
})
export class MailModule {}
