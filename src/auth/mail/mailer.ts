/** One plain-text mail. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends mail. The app binds one implementation: {@link SmtpMailer} when `SMTP_URL` is set,
 * else, outside production, {@link LogMailer}; the tests bind one that captures each message.
 * An abstract class rather than an interface, so that it is also the injection token.
 */
export abstract class Mailer {
  /**
   * Sends the message.
   *
   * @throws whatever the transport throws when the message cannot be handed over.
   */
  abstract send(message: MailMessage): Promise<void>;
}
