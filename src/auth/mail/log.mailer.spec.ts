import { Logger } from '@nestjs/common';
import { LogMailer } from './log.mailer';

describe(LogMailer.name, () => {
  it('refuses to exist when NODE_ENV=production, with a one-line message naming SMTP_URL', () => {
    expect(() => new LogMailer('production')).toThrow(
      new Error('SMTP_URL is required when NODE_ENV=production (mail cannot only be logged)'),
    );
  });

  it('logs the recipient, the subject and the text with its links in development', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      await new LogMailer(undefined).send({
        to: 'ada@example.com',
        subject: 'Verify your email address',
        text: 'http://localhost:3000/api/auth/verify-email?token=abc',
      });

      expect(log).toHaveBeenCalledWith(
        'To ada@example.com: Verify your email address\nhttp://localhost:3000/api/auth/verify-email?token=abc',
      );
    } finally {
      log.mockRestore();
    }
  });
});
