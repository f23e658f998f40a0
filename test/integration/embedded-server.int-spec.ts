import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { Client } from 'pg';
import { freePort } from '../helpers/test-server';
import { postmasterPid, stopPostmaster } from '../helpers/postmaster';
import {
  runCommand,
  runMain,
  startMain,
  stopProcess,
  tempDir,
  typeormCli,
} from '../helpers/processes';

/** Whether a PostgreSQL answers on the port with the embedded server's credentials. */
async function answers(port: string): Promise<boolean> {
  const client = new Client({
    connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/app`,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Starts the app once and stops it: the data folder is initialised and no server runs on it. */
async function initialise(env: Record<string, string>): Promise<void> {
  await stopProcess((await startMain(env)).child);
}

/** Writes a `postmaster.pid` naming `pid`, as a server on the folder would have left it. */
function writePidFile(dir: string, pid: number): void {
  const dataDir = join(dir, 'data');
  writeFileSync(join(dataDir, 'postmaster.pid'), `${pid}\n${dataDir}\n0\n54329\n\n127.0.0.1\n`);
}

describe('the embedded PostgreSQL', () => {
  let dir: string;
  /** The folder only: startMain picks the embedded server's port (and retries a taken one). */
  let env: { EMBEDDED_PG_DIR: string };

  beforeEach(() => {
    dir = tempDir('nest-auth-db-embedded-');
    env = { EMBEDDED_PG_DIR: dir };
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs for a normal user too (as root, the test runs the CLI as nobody)', async () => {
    const port = await freePort();
    const uid = process.getuid!();
    const user = uid === 0 ? 65534 : uid;
    // As root, the server runs as the user postgres; a normal user runs it as itself.
    const asUser = uid === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    chmodSync(dir, 0o777);
    const cli = (command: string) =>
      runCommand(
        asUser[0] ?? process.execPath,
        [
          ...asUser.slice(1),
          ...(asUser.length > 0 ? [process.execPath] : []),
          '-r',
          'ts-node/register/transpile-only',
          'src/bin/typeorm-cli.ts',
          command,
        ],
        { ...env, EMBEDDED_PG_PORT: String(port), HOME: dir },
      );

    const run = await cli('migration:run');
    const show = await cli('migration:show');

    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(show.stdout).not.toContain('[ ]');
    expect(show.stdout).toMatch(/\[X\] \d+ InitialAuthSchema\d+/);
    expect(statSync(join(dir, 'data', 'PG_VERSION')).uid).toBe(user);
  });

  it('refuses a taken port with one line naming EMBEDDED_PG_PORT', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const result = await runMain({ ...env, EMBEDDED_PG_PORT: String(port) });

      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `EmbeddedPostgresError: Port ${port} is taken by another program: set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use another PostgreSQL`,
      );
    } finally {
      blocker.close();
    }
  });

  it('recovers the server a killed process left running', async () => {
    const killed = await startMain(env);
    const port = killed.env.EMBEDDED_PG_PORT!;
    // The postmaster this test saw start, stopped below whatever fails in between.
    const orphan = postmasterPid(dir);
    try {
      await stopProcess(killed.child, 'SIGKILL');
      expect(await answers(port)).toBe(true);

      // The orphan holds the port until this start stops it.
      const app = await startMain({ ...env, EMBEDDED_PG_PORT: port });
      try {
        expect((await fetch(`${app.base}/health`)).status).toBe(200);
      } finally {
        await stopProcess(app.child);
      }

      expect(await answers(port)).toBe(false);
    } finally {
      await stopPostmaster(orphan, join(dir, 'data'));
    }
  });

  it('starts over a postmaster.pid naming a process that is gone', async () => {
    await initialise(env);
    writePidFile(dir, spawnSync('true').pid);

    const app = await startMain(env);
    try {
      expect((await fetch(`${app.base}/health`)).status).toBe(200);
    } finally {
      await stopProcess(app.child);
    }
  });

  it('leaves alone an unrelated process that has the PID of postmaster.pid, and starts', async () => {
    await initialise(env);
    // As root, as the user the server runs as: PostgreSQL then sees the process alive (kill with
    // signal 0 succeeds) and refuses the file, the case a normal user always has.
    const command =
      process.getuid!() === 0
        ? ['setpriv', '--reuid=postgres', '--regid=postgres', '--clear-groups', 'sleep', '600']
        : ['sleep', '600'];
    const unrelated = spawn(command[0]!, command.slice(1), { stdio: 'ignore' });
    try {
      writePidFile(dir, unrelated.pid!);

      const app = await startMain(env);
      try {
        expect((await fetch(`${app.base}/health`)).status).toBe(200);
      } finally {
        await stopProcess(app.child);
      }
      expect([unrelated.exitCode, unrelated.signalCode]).toEqual([null, null]);
    } finally {
      unrelated.kill('SIGKILL');
    }
  });

  it('is shared with the TypeORM CLI while the app runs, and outlives the command', async () => {
    const app = await startMain(env);
    try {
      const show = await typeormCli(['migration:show'], app.env);

      expect(show.code).toBe(0);
      expect(show.stdout).toMatch(/\[X\] \d+ InitialAuthSchema\d+/);
      expect((await fetch(`${app.base}/health`)).status).toBe(200);
    } finally {
      await stopProcess(app.child);
    }
  });
});
