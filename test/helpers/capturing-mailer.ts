import { Mailer, type MailMessage } from '../../src/auth/mail/mailer';

/** The tests' {@link Mailer}: keeps every message, so a test can follow the links it carries. */
export class CapturingMailer extends Mailer {
  readonly messages: MailMessage[] = [];

  send(message: MailMessage): Promise<void> {
    this.messages.push(message);
    return Promise.resolve();
  }

  /**
   * The first link of the newest message to `to` whose subject contains `subject`.
   *
   * @throws Error when there is no such message.
   */
  lastLink(to: string, subject: string): URL {
    const message = this.messages.findLast((m) => m.to === to && m.subject.includes(subject));
    const link = message?.text.match(/https?:\/\/\S+/)?.[0];
    if (!link) throw new Error(`No mail "${subject}" with a link was sent to ${to}`);
    return new URL(link);
  }
}
