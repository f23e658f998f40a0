import { createTransport, type Transporter } from 'nodemailer';
import { Mailer, type MailMessage } from './mailer';

/** Sends mail through the SMTP server of `SMTP_URL`, with nodemailer. */
export class SmtpMailer extends Mailer {
  private readonly transport: Transporter;

  /**
   * @param url a nodemailer SMTP URL (`smtp://` or `smtps://user:password@host:port`).
   * @param from the sender address of every message.
   */
  constructor(
    url: string,
    private readonly from: string,
  ) {
    super();
    this.transport = createTransport(url);
  }

  /** @throws nodemailer's error when the server refuses the message or cannot be reached. */
  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...message });
  }
}
