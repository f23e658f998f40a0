import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { pinoHttp } from 'pino-http';
import { createLogger, httpLogOptions, wantsReadableLogs } from './logger';

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

describe(httpLogOptions.name, () => {
  it("gives a request's logger pino's serializers and redaction for a req, res or err logged by hand", () => {
    const lines: string[] = [];
    const logger = createLogger(
      { LOG_LEVEL: 'info', NODE_ENV: undefined },
      { write: (line: string) => void lines.push(line) },
    );
    const request = new IncomingMessage(new Socket());
    request.method = 'GET';
    request.url = '/users/me';
    request.headers = { authorization: 'Bearer abc', cookie: 'session=def', host: 'h' };
    const response = new ServerResponse(request);
    response.setHeader('set-cookie', 'session=ghi');
    pinoHttp(httpLogOptions(logger))(request, response);

    (request as IncomingMessage & { log: typeof logger }).log.warn(
      { req: request, res: response, err: new Error('cause') },
      'by hand',
    );

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/abc|def|ghi|_header/);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'by hand',
      reqId: expect.any(String),
      req: {
        method: 'GET',
        url: '/users/me',
        headers: { authorization: '[redacted]', cookie: '[redacted]', host: 'h' },
      },
      res: { headers: { 'set-cookie': '[redacted]' } },
      err: { type: 'Error', message: 'cause' },
    });
    expect(lines[0]).not.toContain('unusedRequestBinding');
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
