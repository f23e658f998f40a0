import { SmsSender } from '../../src/auth/sms/sms-sender';

/** One text message the app sent. */
export interface SmsMessage {
  to: string;
  text: string;
}

/** The tests' {@link SmsSender}: keeps every message, so a test can read the codes it carries. */
export class CapturingSmsSender extends SmsSender {
  readonly messages: SmsMessage[] = [];

  send(to: string, text: string): Promise<void> {
    this.messages.push({ to, text });
    return Promise.resolve();
  }

  /**
   * The 6-digit code of the newest message to `to`.
   *
   * @throws Error when no message with a code was sent to `to`.
   */
  lastCode(to: string): string {
    const code = this.messages.findLast((m) => m.to === to)?.text.match(/\b\d{6}\b/)?.[0];
    if (!code) throw new Error(`No SMS with a code was sent to ${to}`);
    return code;
  }
}
