import autocannon from 'autocannon';
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual, promisify } from 'node:util';
import { Pool } from 'pg';
import { parseConfig } from '../config/environment';
import { openPostgresTarget } from '../embedded-postgres/postgres-target';
import { runPendingMigrations } from '../migration-tools/migrator';
import { createScratchDatabase, type ScratchDatabase } from '../migration-tools/scratch-database';
import {
  benchToken,
  benchUserId,
  insertItems,
  insertUsersAndSessions,
  isExpiredSession,
  type Queryable,
} from './bench-data';
import type { BenchOptions } from './bench-options';
import { percentile } from './load';

/** The project folder (this file is `src/bench/` there, or `dist/src/bench/` once built). */
const UP_TWO = resolve(__dirname, '..', '..');
const ROOT = basename(UP_TWO) === 'dist' ? resolve(UP_TWO, '..') : UP_TWO;
const DIST = join(ROOT, 'dist');
const CONCURRENCIES = [1, 16];
/** Users whose sessions call the item list (fewer when `--users` is smaller); items per user. */
const ITEM_USERS = 1000;
const ITEMS_PER_USER = 25;
const PAGE = 20;
/** The app's pool size (TypeORM's default for `pg`), given to the baseline too. */
const POOL_SIZE = 10;

/** The two routes measured, as the app serves them. */
type Route = 'session' | 'items';

/** One route at one concurrency: requests/s of each server, and their ratio and latencies (ms). */
export interface HttpRow {
  route: Route;
  concurrency: number;
  app: number;
  baseline: number;
  /** app / baseline requests per second. */
  ratio: number;
  p50App: number;
  p50Baseline: number;
  p99App: number;
  p99Baseline: number;
}

/** What `npm run bench -- --http --json` prints. Rates in requests/s, memory in MB. */
export interface HttpBenchReport {
  machine: {
    node: string;
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    loadAverage1m: number;
  };
  options: BenchOptions;
  poolSize: number;
  /** The app's largest resident set (VmRSS) sampled during its 16-connection rounds. */
  appRssMb: number;
  http: HttpRow[];
}

/** A server the bench started: its port, and a way to stop it (SIGTERM, then waits for its exit). */
interface Served {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** A caller of a route: its token and user id. */
interface Caller {
  token: string;
  userId: string;
}

/**
 * The HTTP bench (`npm run bench -- --http`, docs/PERFORMANCE.md): builds the app when `dist` is
 * older than the sources, fills a scratch database (`--users`, `--sessions`, a tenth expired, and
 * 25 items for each of up to 1,000 users), starts the built app as production does (`node
 * dist/src/main.js`, NODE_ENV=production, one log line per request into a temporary file) and the
 * bare `node:http` baseline (`http-baseline.ts`), checks that both answer the same JSON, then drives
 * both with autocannon on `GET /sessions/current` and `GET /users/:id/items?limit=20`, at 1 and 16
 * connections, each request with the bearer token of a random valid session. `--warmup` seconds
 * each, then `--duration` seconds each, in `--rounds` rounds in which the app and the baseline
 * take turns. Every response is checked (200, the caller's user id, 20 items for the list); any
 * other answer stops the bench.
 *
 * @throws Error when the build, a server's start or any response check fails.
 */
export async function runHttpBench(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<void> {
  await buildWhenStale(log);
  const env = parseConfig(process.env);
  const server = await openPostgresTarget(env);
  const secret = randomBytes(32).toString('hex');
  let scratch: ScratchDatabase | undefined;
  const started: Served[] = [];
  const logDir = join(tmpdir(), `http-bench-${randomBytes(4).toString('hex')}`);
  mkdirSync(logDir);
  try {
    scratch = await createScratchDatabase(server.url, 'bench');
    await runPendingMigrations(scratch.url);
    log(`Scratch database ${scratch.name} on ${new URL(server.url).host}`);
    const callers = await insertData(scratch.url, options, log);
    const renewWithin = env.SESSION_TTL_SECONDS - env.SESSION_UPDATE_AGE_SECONDS;
    const baseline = await startBaseline(scratch.url, secret, renewWithin, options.cpuProf);
    started.push(baseline);
    const app = await startApp(scratch.url, secret, logDir, options.cpuProf);
    started.push(app);
    log(`App on port ${app.port} (pid ${app.pid}), baseline on port ${baseline.port}`);
    await checkSameAnswers(app.port, baseline.port, callers);

    const rows: HttpRow[] = [];
    let appRssMb = 0;
    for (const route of ['session', 'items'] as const) {
      for (const concurrency of CONCURRENCIES) {
        log(`${route}, ${concurrency} connection(s)`);
        const [appRun, baselineRun] = await alternate(
          [app, baseline],
          (server, seconds) =>
            drive(server.port, route, callers[route], concurrency, seconds, () => {
              if (concurrency === 16 && server === app) appRssMb = Math.max(appRssMb, rssMb(app));
            }),
          options,
        );
        rows.push({
          route,
          concurrency,
          app: appRun.requestsPerSec,
          baseline: baselineRun.requestsPerSec,
          ratio: appRun.requestsPerSec / baselineRun.requestsPerSec,
          p50App: appRun.p50Ms,
          p50Baseline: baselineRun.p50Ms,
          p99App: appRun.p99Ms,
          p99Baseline: baselineRun.p99Ms,
        });
      }
    }
    const report: HttpBenchReport = {
      machine: {
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(totalmem() / 2 ** 30),
        loadAverage1m: loadavg()[0]!,
      },
      options,
      poolSize: POOL_SIZE,
      appRssMb,
      http: rows,
    };
    if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else printHttpReport(report, log);
  } finally {
    for (const served of started.reverse()) await served.stop();
    if (options.cpuProf) log(`CPU profiles (app, baseline) in ${join(ROOT, '.bench-profiles')}`);
    rmSync(logDir, { recursive: true, force: true });
    await scratch?.drop();
    await server.stop();
  }
}

/**
 * Runs `npm run build` when `dist/src/main.js` is missing or stale, by the check `npm start` makes
 * (`src/bin/build-freshness.cjs`).
 */
async function buildWhenStale(log: (line: string) => void): Promise<void> {
  const fresh = spawnSync(process.execPath, ['src/bin/build-freshness.cjs', 'dist/src/main.js'], {
    cwd: ROOT,
  });
  if (fresh.status === 0) return;
  log('Building the app (npm run build)');
  await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: ROOT });
}

/**
 * Users, sessions (a tenth expired) and items; returns the callers of each route: every valid
 * session for the session route, the valid sessions of users with items for the item list.
 */
async function insertData(
  url: string,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<Record<Route, Caller[]>> {
  const pool = new Pool({ connectionString: url, max: 1 });
  const db: Queryable = {
    query: async (sql: string, params?: unknown[]) => (await pool.query<object>(sql, params)).rows,
  } as Queryable;
  const itemUsers = Math.min(ITEM_USERS, options.users);
  try {
    log(`Inserting ${options.users} users, ${options.sessions} sessions, items of ${itemUsers}`);
    await insertUsersAndSessions(db, options);
    await insertItems(db, { users: itemUsers, perUser: ITEMS_PER_USER });
  } finally {
    await pool.end();
  }
  const callers: Record<Route, Caller[]> = { session: [], items: [] };
  for (let n = 1; n <= options.sessions; n++) {
    if (isExpiredSession(n)) continue;
    // Session n belongs to user 1 + n % users (insertSessions).
    const user = 1 + (n % options.users);
    const caller = { token: benchToken(n), userId: benchUserId(user) };
    callers.session.push(caller);
    if (user <= itemUsers) callers.items.push(caller);
  }
  if (callers.items.length === 0) throw new Error('no valid session belongs to a user with items');
  return callers;
}

/** Starts `http-baseline` (built) with the app pool's size; resolves once it listens. */
async function startBaseline(
  url: string,
  secret: string,
  renewWithin: number,
  cpuProf: boolean,
): Promise<Served> {
  const script = join(DIST, 'src', 'bench', 'http-baseline.js');
  const child = spawn(process.execPath, [...profileArgs(cpuProf, 'baseline'), script], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      BETTER_AUTH_SECRET: secret,
      BENCH_POOL_SIZE: String(POOL_SIZE),
      BENCH_RENEW_WITHIN_SECONDS: String(renewWithin),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Listening on (\d+)/.exec(out);
      if (match) resolvePort(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the baseline exited with ${code}`)));
  });
  return served(child, port);
}

/**
 * Starts the built app as production does: `node dist/src/main.js` with NODE_ENV=production,
 * PORT=0 (the port is read from its `Listening on` log line), the API rate limit out of reach and
 * the clean-up timer off. Its log lines (one per request) go to a file in `logDir`, as to a log
 * collector, so that the bench does not read them while it measures.
 */
async function startApp(
  url: string,
  secret: string,
  logDir: string,
  cpuProf: boolean,
): Promise<Served> {
  const logFile = join(logDir, 'app.log');
  const out = openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    PORT: '0',
    NODE_ENV: 'production',
    BETTER_AUTH_SECRET: secret,
    // Required in production; nothing is mailed during the bench.
    SMTP_URL: 'smtp://127.0.0.1:2525',
    LOG_LEVEL: 'info',
    API_RATE_LIMIT_MAX: '1000000000',
    SESSION_CLEANUP_INTERVAL_SECONDS: '0',
  };
  delete env.DATABASE_REPLICA_URLS;
  const child = spawn(
    process.execPath,
    [...profileArgs(cpuProf, 'app'), join(DIST, 'src', 'main.js')],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', out, 'pipe'],
    },
  );
  closeSync(out);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const match = /Listening on http:\/\/localhost:(\d+)/.exec(readFileSync(logFile, 'utf8'));
    if (match) return served(child, Number(match[1]));
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`the app did not start: ${stderr.trim() || readFileSync(logFile, 'utf8')}`);
    }
    await sleep(50);
  }
}

/** `node --cpu-prof` arguments writing `.bench-profiles/<name>.cpuprofile`, when asked. */
function profileArgs(cpuProf: boolean, name: string): string[] {
  if (!cpuProf) return [];
  const dir = join(ROOT, '.bench-profiles');
  return ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `${name}.cpuprofile`];
}

function served(child: ChildProcess, port: number): Served {
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The request of `route` for `caller`. */
function requestOf(route: Route, caller: Caller): { path: string; authorization: string } {
  return {
    path: route === 'session' ? '/sessions/current' : `/users/${caller.userId}/items?limit=${PAGE}`,
    authorization: `Bearer ${caller.token}`,
  };
}

/** Fetches both routes from both servers for one caller and insists on the same JSON. */
async function checkSameAnswers(
  appPort: number,
  baselinePort: number,
  callers: Record<Route, Caller[]>,
): Promise<void> {
  for (const route of ['session', 'items'] as const) {
    const { path, authorization } = requestOf(route, callers[route][0]!);
    const [app, baseline] = await Promise.all(
      [appPort, baselinePort].map(async (port) => {
        const response = await fetch(`http://127.0.0.1:${port}${path}`, {
          headers: { authorization },
        });
        return { status: response.status, body: await response.json() };
      }),
    );
    if (app!.status !== 200 || !isDeepStrictEqual(app, baseline)) {
      throw new Error(
        `app and baseline answer ${path} differently: ${JSON.stringify(app)} / ${JSON.stringify(baseline)}`,
      );
    }
  }
}

/** Requests/s (checked responses over wall-clock time) and latency percentiles (ms). */
interface Run {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** The raw figures of one server over its rounds. */
interface Tally {
  ok: number;
  ms: number;
  latencies: number[];
}

/**
 * Warm-up (unmeasured) then `options.rounds` rounds of `duration / rounds` seconds, the servers
 * taking turns, the first one alternating from round to round.
 */
async function alternate<S>(
  servers: [S, S],
  run: (server: S, seconds: number) => Promise<Tally>,
  options: BenchOptions,
): Promise<[Run, Run]> {
  if (options.warmup > 0) for (const server of servers) await run(server, options.warmup);
  const tallies: [Tally, Tally] = [
    { ok: 0, ms: 0, latencies: [] },
    { ok: 0, ms: 0, latencies: [] },
  ];
  const seconds = options.duration / options.rounds;
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      const tally = await run(servers[index]!, seconds);
      const total = tallies[index]!;
      total.ok += tally.ok;
      total.ms += tally.ms;
      for (const latency of tally.latencies) total.latencies.push(latency);
    }
  }
  return tallies.map((tally) => {
    const sorted = tally.latencies.sort((a, b) => a - b);
    return {
      requestsPerSec: tally.ok / (tally.ms / 1000),
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
    };
  }) as [Run, Run];
}

/**
 * One autocannon run against `port`: `concurrency` connections, one request at a time each, for
 * `seconds`; each request from a random caller, each response checked. `midway` runs halfway.
 *
 * @throws Error when any response was not the expected one, or autocannon saw errors.
 */
async function drive(
  port: number,
  route: Route,
  callers: Caller[],
  concurrency: number,
  seconds: number,
  midway: () => void,
): Promise<Tally> {
  const latencies: number[] = [];
  let ok = 0;
  let wrong: string | undefined;
  type Context = { sent: number; userId: string };
  const timer = setTimeout(midway, (seconds * 1000) / 2);
  const started = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: concurrency,
    pipelining: 1,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request, context) => {
          const caller = callers[Math.floor(Math.random() * callers.length)]!;
          const { path, authorization } = requestOf(route, caller);
          Object.assign(context, { sent: performance.now(), userId: caller.userId });
          return { ...request, path, headers: { authorization } };
        },
        onResponse: (status, body, context) => {
          const { sent, userId } = context as Context;
          latencies.push(performance.now() - sent);
          const problem = checkResponse(route, status, body, userId);
          if (problem) wrong ??= problem;
          else ok++;
        },
      },
    ],
  });
  const ms = performance.now() - started;
  clearTimeout(timer);
  if (wrong) throw new Error(`port ${port}, ${route}: ${wrong}`);
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `port ${port}, ${route}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
  }
  return { ok, ms, latencies };
}

/** Why a response is not the expected one, or undefined when it is. */
function checkResponse(
  route: Route,
  status: number,
  body: string,
  userId: string,
): string | undefined {
  if (status !== 200) return `status ${status}: ${body.slice(0, 200)}`;
  const owned = `"userId":"${userId}"`;
  if (route === 'session') {
    return body.includes(owned) ? undefined : `not the caller's session: ${body.slice(0, 200)}`;
  }
  const count = body.split(owned).length - 1;
  return count === PAGE && body.includes('"nextCursor":"')
    ? undefined
    : `expected a full page of the caller's ${PAGE} items, got ${count}`;
}

/** Resident set size of a process, from /proc/<pid>/status (Linux), in MB; 0 elsewhere. */
function rssMb(served: Served): number {
  try {
    const status = readFileSync(`/proc/${served.pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** The text report: one line per route and concurrency, the ratios, and the app's memory. */
function printHttpReport(report: HttpBenchReport, log: (line: string) => void): void {
  const { machine } = report;
  log('');
  log(
    `Machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, load ${machine.loadAverage1m.toFixed(1)}`,
  );
  log(`HTTP, requests/s (p50 / p99 ms); app = built app (Nest), baseline = bare node:http + pg`);
  const ms = (value: number) => value.toFixed(2);
  for (const row of report.http) {
    log(
      `  ${row.route.padEnd(8)} ${String(row.concurrency).padStart(2)} conn: ` +
        `app ${Math.round(row.app)} (${ms(row.p50App)} / ${ms(row.p99App)})   ` +
        `baseline ${Math.round(row.baseline)} (${ms(row.p50Baseline)} / ${ms(row.p99Baseline)})   ` +
        `app/baseline = ${row.ratio.toFixed(2)}   p99 app/baseline = ${(row.p99App / row.p99Baseline).toFixed(2)}`,
    );
  }
  log(`App resident memory under 16 connections: ${report.appRssMb} MB`);
}
