import { runCommand } from '../helpers/processes';

/**
 * The process logger's JSON lines (`createLogger`), in a child process whose standard output is a
 * pipe, as under a container runtime: no line logged before the process ends is lost, however it
 * ends. (pino's asynchronous mode fails the uncaught-exception case: the write under way is lost.)
 */
describe('createLogger: JSON lines on a pipe', () => {
  const script = (ending: string) => `
    const { createLogger } = require('./src/logging/logger');
    const logger = createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'production' });
    for (let n = 1; n <= 2000; n++) logger.info({ n }, 'line ' + 'x'.repeat(100));
    logger.error('last line');
    ${ending}`;

  const run = (ending: string) =>
    runCommand(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', script(ending)],
      {},
    );

  const expectEveryLine = (stdout: string) => {
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; n?: number });
    expect(lines).toHaveLength(2001);
    expect(lines.slice(0, 2000).map((line) => line.n)).toEqual(
      Array.from({ length: 2000 }, (_, index) => index + 1),
    );
    expect(lines[2000]).toMatchObject({ level: 'error', msg: 'last line' });
  };

  it('keeps every line when the process calls process.exit right after logging', async () => {
    const finished = await run('process.exit(3);');

    expect(finished.code).toBe(3);
    expectEveryLine(finished.stdout);
  });

  it('keeps every line when the process dies of an uncaught exception', async () => {
    const finished = await run("setImmediate(() => { throw new Error('boom'); });");

    expect(finished.code).toBe(1);
    expect(finished.stderr).toContain('boom');
    expectEveryLine(finished.stdout);
  });

  it('keeps every line when the process ends on its own', async () => {
    const finished = await run('');

    expect(finished.code).toBe(0);
    expectEveryLine(finished.stdout);
  });
});
