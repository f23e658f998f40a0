import { createLogger, wantsReadableLogs } from './logger';

describe(createLogger.name, () => {
  const capture = () => {
    const lines: string[] = [];
    const logger = createLogger(
      { LOG_LEVEL: 'warn', NODE_ENV: undefined },
      { write: (line: string) => void lines.push(line) },
    );
    return { logger, lines };
  };

  it('writes JSON lines at LOG_LEVEL and above, with the level as a word', () => {
    const { logger, lines } = capture();

    logger.info('dropped');
    logger.warn('kept');

    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'kept' }),
    ]);
  });

  it('redacts credentials in request and response headers logged by hand', () => {
    const { logger, lines } = capture();

    logger.warn(
      {
        req: { headers: { authorization: 'Bearer abc', cookie: 'session=def', host: 'h' } },
        res: { headers: { 'set-cookie': 'session=ghi', 'set-auth-token': 'jkl' } },
      },
      'by hand',
    );

    expect(lines[0]).not.toMatch(/abc|def|ghi|jkl/);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', host: 'h' } },
      res: { headers: { 'set-cookie': '[redacted]', 'set-auth-token': '[redacted]' } },
    });
  });
});

describe(wantsReadableLogs.name, () => {
  it.each([
    [undefined, true, true],
    ['development', true, true],
    ['production', true, false],
    [undefined, false, false],
    ['development', false, false],
  ])('NODE_ENV=%s on a terminal: %s gives %s', (nodeEnv, isTty, readable) => {
    expect(wantsReadableLogs({ NODE_ENV: nodeEnv }, isTty)).toBe(readable);
  });
});
