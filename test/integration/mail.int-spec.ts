import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SmtpMailer } from '../../src/auth/mail/smtp.mailer';

/** What the test SMTP server received: envelope and raw message. */
interface Received {
  from: string;
  to: string[];
  data: string;
}

/**
 * SmtpMailer against a real SMTP server on 127.0.0.1 (`smtp-server`, nodemailer's own), so the
 * message crosses the SMTP protocol as it would in production.
 */
describe(SmtpMailer.name, () => {
  let server: SMTPServer;
  let port: number;
  const received: Received[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(resolve));
  });

  it('sends the message through the SMTP server of the URL, from MAIL_FROM', async () => {
    const sut = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'Nest Auth <auth@example.com>');

    await sut.send({
      to: 'ada@example.com',
      subject: 'Reset your password',
      text: 'Open this link: http://localhost:3000/api/auth/reset-password/abc',
    });

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: 'auth@example.com', to: ['ada@example.com'] });
    expect(received[0]!.data).toMatch(/^Subject: Reset your password\r$/m);
    expect(received[0]!.data).toContain('http://localhost:3000/api/auth/reset-password/abc');
  });

  it('rejects when the server cannot be reached', async () => {
    const sut = new SmtpMailer('smtp://127.0.0.1:1', 'auth@example.com');

    await expect(sut.send({ to: 'a@example.com', subject: 's', text: 't' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
