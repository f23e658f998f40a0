import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { ChildProcess } from 'node:child_process';
import { DatabaseAvailability } from '../../src/database/database-availability';
import { runPendingMigrations } from '../../src/migration-tools/migrator';
import { newCategory } from '../helpers/factories';
import { startScript, stopProcess, tempDir } from '../helpers/processes';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { onFreePort } from '../helpers/test-server';

/**
 * The app under database outages, on a private embedded PostgreSQL that the tests kill, stop and
 * freeze (never the server of DATABASE_URL). Each test runs a steady write load, applies the
 * fault, and asserts: every answer is 201 or 503 with `Retry-After` (never a 500), none takes
 * longer than the time-outs allow, every acknowledged write is in the database afterwards, and
 * the app serves again within a bound once the database is back. Each prints its figures as one
 * JSON line (docs/RELIABILITY.md).
 */

/** The app's bounds, short so that outages show within seconds. */
const TIMEOUTS = {
  DATABASE_CONNECT_TIMEOUT_SECONDS: '1',
  DATABASE_STATEMENT_TIMEOUT_SECONDS: '2',
  DATABASE_QUERY_TIMEOUT_SECONDS: '3',
};
/** The longest an answer may take under any fault: a pool wait plus a query, with a margin. */
const ANSWER_BOUND_MS = 8000;
/** How long the app may take to serve again once the database is back. */
const RECOVERY_BOUND_S = 10;
const OUTAGE_MS = 10_000;
const WORKERS = 4;

/** One answered (or unanswered, status 0) request of the load. */
interface Outcome {
  status: number;
  ms: number;
  retryAfter: string | null;
}

describe('database outages (chaos)', () => {
  let dir: string;
  let port: number;
  let server: { url: string; process: ChildProcess };
  let sut: TestApp;
  let base: string;
  let userId: string;
  let auth: Record<string, string>;
  let categoryId: string;
  let frozen: number[] = [];

  /** Starts the private server (again, on the same folder and port: a restart). */
  const start = async () => {
    const { child, match } = await startScript(
      'test/helpers/embedded-server-process.ts',
      { TEST_PG_DIR: dir, TEST_PG_PORT: String(port) },
      /ready (\S+)/,
    );
    return { url: match[1]!, process: child };
  };
  /** Stops it with a fast shutdown (SIGINT to the postmaster), as `pg_ctl stop -m fast` does. */
  const stop = () => stopProcess(server.process, 'SIGINT');

  /** Runs SQL on the private server on a connection of its own. */
  async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    dir = tempDir('nest-auth-db-chaos-');
    server = await onFreePort((picked) => {
      port = picked;
      return start();
    });
    await runPendingMigrations(server.url);
    sut = await createTestApp(TIMEOUTS, { databaseUrl: server.url });
    await sut.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
    const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
      body: JSON.stringify({ email: 'chaos@example.com', name: 'Chaos', password: 'x'.repeat(12) }),
    });
    const body = (await signUp.json()) as { token: string; user: { id: string } };
    userId = body.user.id;
    auth = { authorization: `Bearer ${body.token}`, 'content-type': 'application/json' };
    categoryId = (await newCategory(sut.dataSource, { slug: 'chaos', name: 'Chaos' })).id;
  }, 60_000);

  afterAll(async () => {
    signal(frozen, 'SIGCONT');
    await sut?.close();
    if (server) await stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  let written = 0;
  /** One write: a new item. @returns the outcome and, on 201, the new item's id. */
  async function write(): Promise<Outcome & { id?: string }> {
    const started = Date.now();
    written += 1;
    try {
      const response = await fetch(`${base}/users/${userId}/items`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ title: `chaos ${written}`, categoryId }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json()) as { id?: string };
      return {
        status: response.status,
        ms: Date.now() - started,
        retryAfter: response.headers.get('retry-after'),
        id: response.status === 201 ? body.id : undefined,
      };
    } catch {
      return { status: 0, ms: Date.now() - started, retryAfter: null };
    }
  }

  /** Writes from {@link WORKERS} loops until `stop()`; collects outcomes and acknowledged ids. */
  function load() {
    const outcomes: Outcome[] = [];
    const acknowledged: string[] = [];
    let running = true;
    const loops = Array.from({ length: WORKERS }, async () => {
      while (running) {
        const outcome = await write();
        outcomes.push(outcome);
        if (outcome.id) acknowledged.push(outcome.id);
        await sleep(20);
      }
    });
    return {
      outcomes,
      acknowledged,
      stop: async () => {
        running = false;
        await Promise.all(loops);
      },
    };
  }

  /** Seconds from now until a write succeeds, trying every 100 ms. */
  async function secondsToRecover(): Promise<number> {
    const started = Date.now();
    while ((await write()).status !== 201) {
      if (Date.now() - started > 30_000) return Infinity;
      await sleep(100);
    }
    return (Date.now() - started) / 1000;
  }

  /** Asserts the outcomes, counts lost writes, and prints the figures as one JSON line. */
  async function report(fault: string, run: ReturnType<typeof load>, recoverySeconds: number) {
    const stored = await sql<{ id: string }>(`SELECT id FROM app.items WHERE id = ANY($1)`, [
      run.acknowledged,
    ]);
    const failed: Record<string, number> = {};
    for (const { status } of run.outcomes) {
      if (status !== 201) failed[status] = (failed[status] ?? 0) + 1;
    }
    const figures = {
      fault,
      sent: run.outcomes.length,
      acknowledged: run.acknowledged.length,
      failed,
      slowestMs: Math.max(...run.outcomes.map((outcome) => outcome.ms)),
      recoverySeconds,
      lost: run.acknowledged.length - stored.length,
    };
    console.log(JSON.stringify(figures));

    expect(
      run.outcomes.filter((outcome) => outcome.status !== 201 && outcome.status !== 503),
    ).toEqual([]);
    expect(run.outcomes.filter((o) => o.status === 503 && o.retryAfter !== '5')).toEqual([]);
    expect(figures.slowestMs).toBeLessThan(ANSWER_BOUND_MS);
    expect(figures.lost).toBe(0);
    expect(recoverySeconds).toBeLessThan(RECOVERY_BOUND_S);
    return figures;
  }

  it('killed backends under load: writes answer 201 or 503, none is lost, the app recovers', async () => {
    const run = load();
    await sleep(500);
    for (let kill = 0; kill < 5; kill++) {
      await sql(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'nest-auth-db' AND pid <> pg_backend_pid()`,
      );
      await sleep(200);
    }
    const recovery = await secondsToRecover();
    await sleep(500);
    await run.stop();

    const figures = await report('killed backends (5 rounds, 200 ms apart)', run, recovery);
    expect(figures.acknowledged).toBeGreaterThan(0);
  }, 30_000);

  it('the database stopped for 10 s: 503 with Retry-After everywhere, nothing lost, recovery after restart', async () => {
    // The previous test's outage is closed first (its probe runs every second).
    const availability = sut.app.get(DatabaseAvailability);
    for (let waited = 0; availability.isDown && waited < 5000; waited += 100) await sleep(100);
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const run = load();
    await sleep(500);
    await stop();
    await sleep(1000);
    const [health, guarded, signIn] = await Promise.all([
      fetch(`${base}/health`),
      fetch(`${base}/sessions/current`, { headers: auth }),
      fetch(`${base}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
        body: JSON.stringify({ email: 'chaos@example.com', password: 'x'.repeat(12) }),
      }),
    ]);
    await sleep(OUTAGE_MS - 1000);
    server = await start();
    const recovery = await secondsToRecover();
    await sleep(500);
    await run.stop();

    // /health tells an anonymous caller up or down, never the server's address.
    const healthText = await health.text();
    expect([health.status, healthText]).toEqual([
      503,
      JSON.stringify({
        status: 'error',
        info: {},
        error: { database: { status: 'down' } },
        details: { database: { status: 'down' } },
      }),
    ]);
    // The session guard's lookup and Better Auth's routes answer like the rest of the API.
    for (const response of [guarded, signIn]) {
      expect([response.status, response.headers.get('retry-after'), await response.json()]).toEqual(
        [
          503,
          '5',
          {
            statusCode: 503,
            error: 'Service Unavailable',
            message: 'The database is unavailable; retry later',
          },
        ],
      );
    }
    const figures = await report(
      'database stopped 10 s (fast shutdown), then started',
      run,
      recovery,
    );
    expect(figures.failed['503']).toBeGreaterThan(0);
    // One warning when the database went away and one when it came back, not one per failure
    // (the availability probe runs every second).
    for (let waited = 0; availability.isDown && waited < 3000; waited += 100) await sleep(100);
    const logged = warnings.mock.calls.map(([message]) => String(message));
    warnings.mockRestore();
    expect(logged).toEqual([
      expect.stringMatching(/^The database is unavailable \(.+\); answering 503 until it is back$/),
      expect.stringMatching(/^The database is back after \d+\.\d s$/),
    ]);
  }, 45_000);

  it('the database frozen (SIGSTOP) for 10 s: 503 within the client time-outs, nothing lost, recovery after SIGCONT', async () => {
    const run = load();
    await sleep(500);
    const postmaster = Number(
      readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number);
    frozen = [postmaster, ...children];
    signal(frozen, 'SIGSTOP');
    await sleep(OUTAGE_MS);
    signal(frozen, 'SIGCONT');
    frozen = [];
    const recovery = await secondsToRecover();
    await sleep(500);
    await run.stop();

    const figures = await report('database frozen 10 s (SIGSTOP), then SIGCONT', run, recovery);
    expect(figures.failed['503']).toBeGreaterThan(0);
  }, 45_000);
});

/** Sends `name` to each process, ignoring those already gone. */
function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  }
}
