import { Logger } from '@nestjs/common';
import { SmsSender } from './sms-sender';

/**
 * Development only: logs each message (recipient and text, so the code itself) instead of sending
 * it, so that phone verification works without an SMS provider.
 */
export class LogSmsSender extends SmsSender {
  private readonly logger = new Logger('Sms');

  /** @throws Error when `nodeEnv` is `production`, where codes must really be sent, never logged. */
  constructor(nodeEnv: string | undefined) {
    super();
    if (nodeEnv === 'production') {
      throw new Error(
        'No SMS provider for NODE_ENV=production: bind an SmsSender of your own in SmsModule (LogSmsSender only logs codes)',
      );
    }
  }

  send(to: string, text: string): Promise<void> {
    this.logger.log(`To ${to}: ${text}`);
    return Promise.resolve();
  }
}
