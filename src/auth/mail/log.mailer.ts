import { Logger } from '@nestjs/common';
import { Mailer, type MailMessage } from './mailer';

/**
 * Development only: logs each message (recipient, subject and body with its links) instead of
 * sending it, so that sign-up and password reset work without an SMTP server.
 */
export class LogMailer extends Mailer {
  private readonly logger = new Logger('Mail');

  /** @throws Error when `nodeEnv` is `production`, where mail must really be sent. */
  constructor(nodeEnv: string | undefined) {
    super();
    if (nodeEnv === 'production') {
      throw new Error('SMTP_URL is required when NODE_ENV=production (mail cannot only be logged)');
    }
  }

  send(message: MailMessage): Promise<void> {
    this.logger.log(`To ${message.to}: ${message.subject}\n${message.text}`);
    return Promise.resolve();
  }
}
