import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../../config/environment';
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
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>): Mailer => {
        const url = config.get('SMTP_URL', { infer: true });
        return url
          ? new SmtpMailer(url, config.get('MAIL_FROM', { infer: true }))
          : new LogMailer(config.get('NODE_ENV', { infer: true }));
      },
    },
  ],
  exports: [Mailer],
})
export class MailModule {}
