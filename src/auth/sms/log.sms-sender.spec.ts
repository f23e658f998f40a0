import { Logger } from '@nestjs/common';
import { LogSmsSender } from './log.sms-sender';

describe(LogSmsSender.name, () => {
  it('refuses to exist when NODE_ENV=production, with a one-line message', () => {
    expect(() => new LogSmsSender('production')).toThrow(
      new Error(
        'No SMS provider for NODE_ENV=production: bind an SmsSender of your own in SmsModule (LogSmsSender only logs codes)',
      ),
    );
  });

  it('logs the recipient and the text in development', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      await new LogSmsSender(undefined).send('+33612345678', '123456 is your code');

      expect(log).toHaveBeenCalledWith('To +33612345678: 123456 is your code');
    } finally {
      log.mockRestore();
    }
  });
});
