import { Controller, Get } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Public } from '../../src/auth/public.decorator';
import { createLogger } from '../../src/logging/logger';
import { signUp } from '../helpers/auth';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** A route that fails as a bug would: an Error that is not an HttpException. */
@Controller('probe')
class FailingController {
  constructor(private readonly logger: PinoLogger) {}

  /** Logs one line while handling the request, as a service would. */
  @Get('note')
  @Public()
  note(): { ok: true } {
    this.logger.info('probe note');
    return { ok: true };
  }

  @Get('bug')
  @Public()
  bug(): never {
    throw new Error('probe bug: secret-free message');
  }
}

/** One parsed JSON log line. */
type Line = Record<string, unknown>;

describe('request logs', () => {
  let sut: TestApp;
  const written: string[] = [];
  /** The lines logged for the requests made since the last call. */
  const requestLines = (): Line[] =>
    written
      .splice(0)
      .map((text) => JSON.parse(text) as Line)
      .filter((line) => 'status' in line);

  beforeAll(async () => {
    const logger = createLogger(
      { LOG_LEVEL: 'info', NODE_ENV: 'production' },
      { write: (text: string) => void written.push(text) },
    );
    sut = await createTestApp({}, { logger, controllers: [FailingController] });
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('writes one JSON line per request with its id, method, route, status and latency, and no credentials', async () => {
    const alice = await signUp(sut);
    requestLines();

    const response = await sut
      .http()
      .get(`/users/${alice.user.id}`)
      .set('Cookie', alice.cookie)
      .set('Authorization', alice.auth.Authorization)
      .expect(200);

    const lines = requestLines();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        reqId: response.headers['x-request-id'],
        method: 'GET',
        route: '/users/:id',
        status: 200,
        ms: expect.any(Number),
      }),
    ]);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(alice.token);
    expect(text).not.toContain(alice.cookie.split('=')[1]!.slice(0, 20));
    expect(text).not.toMatch(/authorization|cookie/i);
  });

  it('gives a line logged while handling a request the request id', async () => {
    requestLines();
    const response = await sut.http().get('/probe/note').expect(200);

    const note = written
      .map((text) => JSON.parse(text) as Line)
      .find((l) => l.msg === 'probe note');
    expect(note).toMatchObject({ reqId: response.headers['x-request-id'] });
    expect(requestLines()).toHaveLength(1);
  });

  it('keeps a sane incoming x-request-id and replaces one that is not', async () => {
    const kept = await sut.http().get('/health').set('x-request-id', 'trace-42:a.b_c').expect(200);
    const replaced = await sut
      .http()
      .get('/health')
      .set('x-request-id', `${'x'.repeat(129)}`)
      .expect(200);

    expect(kept.headers['x-request-id']).toBe('trace-42:a.b_c');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLines().map((line) => line.reqId)).toEqual([
      'trace-42:a.b_c',
      replaced.headers['x-request-id'],
    ]);
  });

  it('logs a failing request as one line, without its query string or body', async () => {
    await sut
      .http()
      .patch('/users/00000000-0000-4000-8000-000000000000?token=secret-in-query')
      .set('Authorization', 'Bearer not-a-session')
      .send({ name: 'secret-in-body' })
      .expect(401);
    await sut.http().get('/nowhere?token=secret-in-query').expect(404);

    const lines = written.splice(0);
    expect(lines).toHaveLength(2);
    expect(lines.map((text) => JSON.parse(text) as Line)).toEqual([
      expect.objectContaining({ method: 'PATCH', route: '/users/:id', status: 401 }),
      expect.objectContaining({ method: 'GET', route: '/nowhere', status: 404 }),
    ]);
    expect(lines.join('')).not.toMatch(/secret-in|not-a-session/);
  });

  it('logs a 500 as one line at error level, with its cause and stack, and never sends the cause', async () => {
    const response = await sut.http().get('/probe/bug').expect(500);

    expect(JSON.stringify(response.body)).not.toContain('probe bug');
    const lines = written.splice(0).map((text) => JSON.parse(text) as Line);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        method: 'GET',
        route: '/probe/bug',
        status: 500,
        err: expect.objectContaining({
          message: 'probe bug: secret-free message',
          stack: expect.stringContaining('FailingController'),
        }),
      }),
    ]);
  });

  it('logs the requests answered before any route: Better Auth, a 415, a CORS preflight', async () => {
    await sut
      .http()
      .post('/api/auth/sign-in/email')
      .send({ email: 'nobody@example.com', password: 'secret-password-1' })
      .expect(401);
    await sut
      .http()
      .post('/users/me/phone')
      .set('Content-Type', 'text/plain')
      .send('x')
      .expect(415);
    await sut
      .http()
      .options('/users')
      .set('Origin', 'https://elsewhere.example')
      .set('Access-Control-Request-Method', 'GET');

    const lines = written.splice(0);
    expect(lines.map((text) => JSON.parse(text) as Line)).toEqual([
      expect.objectContaining({ method: 'POST', route: '/api/auth/sign-in/email', status: 401 }),
      expect.objectContaining({ method: 'POST', route: '/users/me/phone', status: 415 }),
      expect.objectContaining({ method: 'OPTIONS', route: '/users' }),
    ]);
    expect(lines.join('')).not.toMatch(/secret-password|nobody@/);
  });
});
