import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { postmasterPid } from '../helpers/postmaster';
import { childEnv, tempDir } from '../helpers/processes';
import { freePort, onFreePort } from '../helpers/test-server';

/** Requests sent in flight before the signal. */
const IN_FLIGHT = 16;
/** Sign-ups in flight for the time-out case: about 60 ms of scrypt each, on one thread. */
const SLOW_DRAIN = 96;
/** The shutdown time-out the app is started with, in seconds. */
const SHUTDOWN_TIMEOUT_SECONDS = 10;
/** The app's public origin: it listens on a port the system picks (PORT=0), so this is set. */
const PUBLIC_URL = 'http://localhost:3000';

/** An app started by `src/main.ts` on the embedded server, with what it printed since. */
interface Running {
  child: ChildProcess;
  base: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit status (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
}

/** The environment of an app on the embedded server in `dir` (DATABASE_URL is never passed). */
function appEnv(dir: string, pgPort: number, shutdownTimeoutSeconds = SHUTDOWN_TIMEOUT_SECONDS) {
  return {
    EMBEDDED_PG_DIR: dir,
    EMBEDDED_PG_PORT: String(pgPort),
    PORT: '0',
    BETTER_AUTH_URL: PUBLIC_URL,
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_SECONDS: String(shutdownTimeoutSeconds),
    AUTH_RATE_LIMIT_MAX: '100000',
    AUTH_EMAIL_RATE_LIMIT_MAX: '100000',
    AUTH_SIGN_IN_RATE_LIMIT_MAX: '100000',
    // One libuv thread: the sign-ups' scrypt hashes run one after another, so the requests stay
    // in flight long enough for the signal to land during them.
    UV_THREADPOOL_SIZE: '1',
  };
}

/** Starts `src/main.ts` as `npm start` would (ts-node, no type check); resolves once it listens. */
async function startApp(env: Record<string, string>): Promise<Running> {
  // A process group of its own, as a terminal gives a command: Ctrl+C signals the whole group.
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: resolve(__dirname, '..', '..'),
    env: childEnv(env),
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((settle) =>
    child.once('exit', (code, signal) => settle(code ?? signal ?? 'unknown')),
  );
  await waitFor(
    () => (child.exitCode === null ? stdout : `${stdout}exited`),
    /Listening on|exited$/,
    60_000,
  );
  if (child.exitCode !== null) throw new Error(`src/main.ts exited: ${stdout}${stderr}`);
  const port = /Listening on http:\/\/localhost:(\d+)/.exec(stdout)![1];
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
  };
}

/** Resolves once `text()` matches `pattern`, polling every 10 ms; rejects after `ms`. */
async function waitFor(text: () => string, pattern: RegExp, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(text())) {
    if (Date.now() > deadline) throw new Error(`Not printed within ${ms} ms: ${pattern}`);
    await new Promise((settle) => setTimeout(settle, 10));
  }
}

/**
 * Sends `count` sign-ups at once and resolves once one has answered: every request has then
 * reached the app, and the rest are in flight. `statuses` settles with each one's status (or
 * error); `answeredAt` collects the times of the answers.
 */
async function signUpsInFlight(app: Running, count: number) {
  const tag = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const answeredAt: number[] = [];
  const sent = Array.from({ length: count }, (_, i) =>
    signUp(app, `${tag}-${i}@example.com`).then(
      (status) => (answeredAt.push(Date.now()), status),
      (error: Error) => error,
    ),
  );
  await Promise.race(sent);
  return { statuses: Promise.all(sent), answeredAt };
}

function signUp(app: Running, email: string): Promise<number> {
  return fetch(`${app.base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: PUBLIC_URL,
    },
    body: JSON.stringify({ email, password: 'correct horse battery staple', name: 'Chaos' }),
  }).then((response) => response.status);
}

/**
 * GET on a connection of its own (no keep-alive pool), so that a refused connection shows as
 * `ECONNREFUSED` rather than as an idle pooled connection that the shutdown closed.
 *
 * @returns the status, or the error's code.
 */
function freshGet(url: string): Promise<number | string> {
  return new Promise((settle) => {
    const request = get(url, { agent: false, timeout: 2000 }, (response) => {
      response.resume();
      settle(response.statusCode ?? 0);
    });
    request.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.name));
    request.on('timeout', () => request.destroy(new Error('timeout')));
  });
}

/**
 * A sign-up whose headers are sent whole and whose body never ends: a request the app has
 * received and cannot finish, so a drain cannot end before its time-out, however fast the
 * machine answers the others.
 */
function stalledSignUp(app: Running): Socket {
  const { host } = new URL(app.base);
  const socket = connect(Number(new URL(app.base).port), '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(
    `POST /api/auth/sign-up/email HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${PUBLIC_URL}\r\n` +
      `Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":`,
  );
  return socket;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function users(pgPort: number, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({
    connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/app`,
  });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('lifecycle chaos (src/main.ts on the embedded PostgreSQL)', () => {
  const folders: string[] = [];
  const children: ChildProcess[] = [];
  const newFolder = () => {
    const dir = tempDir('nest-auth-chaos-');
    folders.push(dir);
    return join(dir, 'embedded-postgres');
  };
  const start = async (env: Record<string, string>) => {
    const app = await startApp(env);
    children.push(app.child);
    return app;
  };

  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of folders) {
      const data = join(dir, 'embedded-postgres');
      if (existsSync(join(data, 'data', 'postmaster.pid'))) {
        const pid = postmasterPid(data);
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['SIGTERM', 'to the process', false],
    ['SIGINT', 'to its process group, as Ctrl+C in a terminal', true],
  ] as const)(
    '%s %s with requests in flight: every one completes, new connections are refused, the embedded server stops, the process exits 0',
    async (signal, _to, toGroup) => {
      const dir = newFolder();
      const pgPort = await freePort();
      const app = await start(appEnv(dir, pgPort));

      const { statuses: settled, answeredAt } = await signUpsInFlight(app, IN_FLIGHT);
      const signalled = Date.now();
      process.kill(toGroup ? -app.child.pid! : app.child.pid!, signal);
      await waitFor(app.stdout, new RegExp(`${signal} received`));
      const after = await freshGet(`${app.base}/health`);
      const statuses = await settled;
      const answered = Date.now();
      const code = await app.exited;
      const seconds = (Date.now() - signalled) / 1000;

      const completed = statuses.filter((status) => status === 200).length;
      const inFlight = answeredAt.filter((at) => at > signalled).length;
      console.log(
        `${signal}: sent ${IN_FLIGHT}, in flight at the signal ${inFlight}, completed ${completed}, ` +
          `failed ${IN_FLIGHT - completed}, ` +
          `request after the signal: ${after}, exit ${code} after ${seconds.toFixed(2)} s`,
      );
      expect(statuses).toEqual(Array.from({ length: IN_FLIGHT }, () => 200));
      expect(inFlight).toBeGreaterThanOrEqual(IN_FLIGHT / 2);
      expect(after).toBe('ECONNREFUSED');
      expect(code).toBe(0);
      expect(seconds).toBeLessThan(SHUTDOWN_TIMEOUT_SECONDS);
      // Keep-alive connections are closed as their last response goes out (`Connection: close`),
      // not held for Node's 5 s keep-alive time-out.
      expect(Date.now() - answered).toBeLessThan(1500);
      // A clean PostgreSQL shutdown removes postmaster.pid; nothing answers on its port.
      expect(existsSync(join(dir, 'data', 'postmaster.pid'))).toBe(false);
      await expect(users(pgPort, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    },
  );

  it('SHUTDOWN_TIMEOUT_SECONDS bounds the drain: the connections still open are closed, the embedded server stops, the process exits 1', async () => {
    const dir = newFolder();
    const app = await onFreePort((pgPort) => start(appEnv(dir, pgPort, 1)));
    // Sent first, so that the app has read its headers by the time a sign-up is answered.
    const stalled = stalledSignUp(app);
    // Several seconds of hashing: far more than the 1 s the drain may take.
    const { statuses } = await signUpsInFlight(app, SLOW_DRAIN);

    const signalled = Date.now();
    app.child.kill('SIGTERM');
    const code = await app.exited;
    const seconds = (Date.now() - signalled) / 1000;

    const completed = (await statuses).filter((status) => status === 200).length;
    stalled.destroy();
    console.log(
      `drain time-out of 1 s: sent ${SLOW_DRAIN}, completed ${completed}, cut ${SLOW_DRAIN - completed}, exit ${code} after ${seconds.toFixed(2)} s`,
    );
    expect(code).toBe(1);
    expect(seconds).toBeLessThan(3);
    expect(completed).toBeLessThan(SLOW_DRAIN);
    expect(app.stdout()).toMatch(
      /Requests still running after 1 s: closing the connections of \d+/,
    );
    expect(existsSync(join(dir, 'data', 'postmaster.pid'))).toBe(false);
  });

  it('exits 1 with one line when the embedded postmaster is killed under it', async () => {
    const dir = newFolder();
    const app = await onFreePort((pgPort) => start(appEnv(dir, pgPort)));
    const pid = postmasterPid(dir);

    const killed = Date.now();
    process.kill(pid, 'SIGKILL');
    const code = await Promise.race([
      app.exited,
      new Promise((resolve) => setTimeout(() => resolve('still running after 5 s'), 5000)),
    ]);
    const seconds = (Date.now() - killed) / 1000;

    console.log(`postmaster killed -9: exit ${String(code)} after ${seconds.toFixed(2)} s`);
    expect(code).toBe(1);
    expect(app.stderr().trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^EmbeddedPostgresError: The embedded PostgreSQL \\(pid ${pid}\\) in .+ exited unexpectedly \\(signal SIGKILL\\); exiting so that it can be restarted$`,
        ),
      ),
    ]);
  });

  it('two instances started at once on one fresh folder: one starts the server, the other joins it, each migration is applied once', async () => {
    const dir = newFolder();
    const pgPort = await freePort();
    const [first, second] = await Promise.all([
      start(appEnv(dir, pgPort)),
      start(appEnv(dir, pgPort)),
    ]);

    const owners = [first, second].filter((app) =>
      /Embedded PostgreSQL started/.test(app.stdout()),
    );
    const all = first.stdout() + first.stderr() + second.stdout() + second.stderr();
    console.log(`two instances at once: ${owners.length} owner, ${2 - owners.length} joiner`);
    expect(owners).toHaveLength(1);
    expect(all).not.toMatch(/exists but is not empty/);
    for (const app of [first, second]) {
      expect((await fetch(`${app.base}/health`)).status).toBe(200);
    }
    expect(
      await users(pgPort, 'SELECT name FROM migration_history GROUP BY name HAVING count(*) > 1'),
    ).toEqual([]);

    const joiner = owners[0] === first ? second : first;
    joiner.child.kill('SIGTERM');
    expect(await joiner.exited).toBe(0);
    owners[0]!.child.kill('SIGTERM');
    expect(await owners[0]!.exited).toBe(0);
  });
});
