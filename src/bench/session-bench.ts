import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { Pool } from 'pg';
import { DataSource, MoreThan } from 'typeorm';
import { AppModule } from '../app.module';
import { readSessionToken, sessionCookieName } from '../auth/request-token';
import { hashSessionToken } from '../auth/session-token-hash';
import { tokenSignature } from '../auth/signed-token';
import { type AppConfig, parseConfig } from '../config/environment';
import { openPostgresTarget } from '../embedded-postgres/postgres-target';
import { postgresPool } from '../database/postgres-pool';
import { runPendingMigrations } from '../migration-tools/migrator';
import { createScratchDatabase, type ScratchDatabase } from '../migration-tools/scratch-database';
import { Session } from '../sessions/session.entity';
import { SESSION_LOOKUP_SQL, SESSION_LOOKUP_STATEMENT } from '../sessions/session-lookup.query';
import { SessionsService } from '../sessions/sessions.service';
import {
  benchToken,
  insertSessions,
  insertUsers,
  insertUsersWithSessions,
  isExpiredSession,
} from './bench-data';
import { type BenchOptions, parseBenchOptions } from './bench-options';
import { type LoadResult, measure, percentile } from './load';
import { runHttpBench } from './http-bench';
import { runReplicaBench } from './replica-bench';
import { type BenchReport, printReport, type TableSizeRun } from './report';

/** Concurrent callers of the validation comparison. */
const CONCURRENCIES = [1, 16];
/** Concurrent callers of the 10,000 vs 1,000,000 sessions comparison. */
const SCALE_CONCURRENCY = 16;
/** The secret the app signs with during the bench (its sessions are generated, never handed out). */
const BENCH_SECRET = randomBytes(32).toString('hex');
/** Users deleted (half timed by the client, half by EXPLAIN ANALYZE on the server). */
const DELETED_USERS = 10;

/**
 * The session benchmark (`npm run bench -- [options]`, see README "Benchmark" and
 * docs/PERFORMANCE.md). Works in a scratch database of its own, created and dropped on the server
 * that DATABASE_URL names, or on the embedded server when it is unset.
 */
async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const log = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  if (options.replica) return runReplicaBench(options, log);
  if (options.http) return runHttpBench(options, log);
  const env = parseConfig({
    // The set-up inserts up to a million rows a statement: no API bound on statements, unless set.
    DATABASE_STATEMENT_TIMEOUT_SECONDS: '0',
    DATABASE_QUERY_TIMEOUT_SECONDS: '3600',
    ...process.env,
    SESSION_CLEANUP_INTERVAL_SECONDS: '0',
  });
  const server = await openPostgresTarget(env);
  let scratch: ScratchDatabase | undefined;
  let app: INestApplicationContext | undefined;
  // Ctrl+C and the finally block below may both ask; the clean-up runs once.
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await app?.close();
      await scratch?.drop();
      await server.stop();
    })());
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    scratch = await createScratchDatabase(server.url, 'bench');
    await runPendingMigrations(scratch.url);
    log(`Scratch database ${scratch.name} on ${new URL(server.url).host}`);
    app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ ...env, DATABASE_URL: scratch.url, BETTER_AUTH_SECRET: BENCH_SECRET }),
      { logger: false },
    );
    const report = await run(app, scratch.url, env, options, log);
    if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else printReport(report, log);
  } finally {
    await cleanUp();
  }
}

async function run(
  app: INestApplicationContext,
  url: string,
  env: AppConfig,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<BenchReport> {
  const dataSource = app.get(DataSource);
  const service = app.get(SessionsService);
  const appPool = postgresPool(dataSource);
  const poolSize = appPool.options.max;
  // The baseline gets the app pool's settings (size, connect and query time-outs, startup
  // parameters): hand-written SQL in the app would go through that pool, time-outs included.
  const rawPool = new Pool({ ...appPool.options, connectionString: url, max: poolSize });
  const sessionRepository = dataSource.getRepository(Session);
  const renewWithin = env.SESSION_TTL_SECONDS - env.SESSION_UPDATE_AGE_SECONDS;
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    log(`  ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };

  try {
    log(`Inserting ${options.users} users and ${options.sessions} sessions`);
    await timed('users', () => insertUsers(dataSource, options.users));
    await timed('sessions', () =>
      insertSessions(dataSource, {
        from: 1,
        to: options.sessions,
        users: options.users,
        expired: 'tenth',
      }),
    );

    const validIndex = (count: number) => {
      const n = 1 + Math.floor(Math.random() * count);
      return isExpiredSession(n) ? (n === count ? n - 1 : n + 1) : n;
    };
    const validToken = (count: number) => benchToken(validIndex(count));
    const ours =
      (count: number, pick = validToken) =>
      async () => {
        if (!(await service.validate(pick(count))))
          throw new Error('ours: a valid token was refused');
      };
    // The guard's path for the two signed forms: read the header, check the HMAC, then validate.
    // Every session's signature is made before the clock starts, so the harness adds no HMAC of
    // its own; each call then builds its header from the token and that signature, as (a) builds
    // its token, so that the header is a new string, as a request brings one. (Prebuilding every
    // session's headers instead kept 72 MB alive for 200,000 sessions, 28 MB now, and cost the
    // signed forms cache misses per call that (a) does not pay: about 1.5 microseconds.)
    const cookieName = sessionCookieName(false);
    const signatures = Array.from({ length: options.sessions + 1 }, (_, n) =>
      tokenSignature(benchToken(n), BENCH_SECRET),
    );
    const encodedSignatures = signatures.map((signature) => encodeURIComponent(signature));
    const signedHeader = (form: 'cookie' | 'bearer', n: number): IncomingHttpHeaders =>
      form === 'cookie'
        ? { cookie: `${cookieName}=${benchToken(n)}.${encodedSignatures[n]!}` }
        : { authorization: `Bearer ${benchToken(n)}.${signatures[n]!}` };
    const viaGuard = (form: 'cookie' | 'bearer') => async () => {
      const headers = signedHeader(form, validIndex(options.sessions));
      const token = readSessionToken(headers, BENCH_SECRET, cookieName);
      if (!token || !(await service.validate(token))) {
        throw new Error('a signed form of a valid token was refused');
      }
    };
    const cookie = viaGuard('cookie');
    const signedBearer = viaGuard('bearer');
    // The baseline is the same SQL written by hand with `pg`'s defaults, hashing included: it
    // hashes the token it is given (SHA-256, as findValidByToken does) on every call, then sends
    // the same prepared statement. Its row's timestamps are parsed by `pg`'s own parser; ours by
    // the faster `parseTimestamptz` (docs/PERFORMANCE.md, third round).
    const raw = async () => {
      const { rows } = await rawPool.query({
        name: SESSION_LOOKUP_STATEMENT,
        text: SESSION_LOOKUP_SQL,
        values: [hashSessionToken(validToken(options.sessions)), renewWithin],
      });
      if (rows.length !== 1) throw new Error('raw: a valid token was not found');
    };
    const findOne = async () => {
      const session = await sessionRepository.findOne({
        where: {
          token: hashSessionToken(validToken(options.sessions)),
          expiresAt: MoreThan(new Date()),
        },
        relations: { user: true },
      });
      if (!session?.user) throw new Error('findOne: a valid token was not found');
    };

    const validation: BenchReport['validation'] = [];
    for (const concurrency of CONCURRENCIES) {
      log(`Validation, ${concurrency} concurrent caller(s)`);
      const results = await measure(
        { ours: ours(options.sessions), cookie, signedBearer, raw, findOne },
        {
          concurrency,
          seconds: options.duration,
          warmupSeconds: options.warmup,
          rounds: options.rounds,
        },
      );
      const latency = (result: LoadResult) => ({ p50: result.p50Ms, p99: result.p99Ms });
      validation.push({
        concurrency,
        ours: results.ours.opsPerSec,
        raw: results.raw.opsPerSec,
        findOne: results.findOne.opsPerSec,
        cookie: results.cookie.opsPerSec,
        signedBearer: results.signedBearer.opsPerSec,
        ratio: results.ours.opsPerSec / results.raw.opsPerSec,
        findOneRatio: results.findOne.opsPerSec / results.raw.opsPerSec,
        cookieRatio: results.cookie.opsPerSec / results.raw.opsPerSec,
        signedBearerRatio: results.signedBearer.opsPerSec / results.raw.opsPerSec,
        latencyMs: {
          ours: latency(results.ours),
          raw: latency(results.raw),
          findOne: latency(results.findOne),
          cookie: latency(results.cookie),
          signedBearer: latency(results.signedBearer),
        },
      });
    }

    const scaleRun = async (sessions: number): Promise<TableSizeRun> => {
      const anyToken = (count: number) => benchToken(1 + Math.floor(Math.random() * count));
      const result = await measure(
        { ours: ours(sessions, anyToken) },
        {
          concurrency: SCALE_CONCURRENCY,
          seconds: options.duration,
          warmupSeconds: options.warmup,
          rounds: 1,
        },
      );
      return { sessions, opsPerSec: result.ours.opsPerSec };
    };
    log(`Validation with ${options.tableSmall} sessions in the table`);
    await dataSource.query(`TRUNCATE auth.sessions`);
    const fill = (from: number, to: number) =>
      insertSessions(dataSource, { from, to, users: options.users, expired: 'none' });
    await timed('sessions', () => fill(1, options.tableSmall));
    const small = await scaleRun(options.tableSmall);
    log(`Validation with ${options.tableLarge} sessions in the table`);
    await timed('sessions', () => fill(options.tableSmall + 1, options.tableLarge));
    const large = await scaleRun(options.tableLarge);

    log(`Deleting a user with ${options.userSessions} sessions`);
    const victims = await timed('victims', () =>
      insertUsersWithSessions(dataSource, DELETED_USERS, options.userSessions),
    );
    const tableSessions = await countSessions(dataSource);
    const clientMs: number[] = [];
    const commitMs: number[] = [];
    const serverMs: number[] = [];
    for (const [index, id] of victims.entries()) {
      if (index % 2 === 0) {
        const client = await appPool.connect();
        try {
          await client.query('BEGIN');
          const started = performance.now();
          await client.query(`DELETE FROM auth.users WHERE id = $1`, [id]);
          const deleted = performance.now();
          await client.query('COMMIT');
          clientMs.push(deleted - started);
          commitMs.push(performance.now() - deleted);
        } finally {
          client.release();
        }
      } else {
        const { rows } = await appPool.query<{ 'QUERY PLAN': [{ 'Execution Time': number }] }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) DELETE FROM auth.users WHERE id = $1`,
          [id],
        );
        serverMs.push(rows[0]!['QUERY PLAN'][0]['Execution Time']);
      }
    }
    const leftOver = await countSessions(dataSource, `user_id = ANY($1)`, [victims]);
    if (leftOver !== 0) throw new Error(`deleting users left ${leftOver} sessions`);

    const probeExpired = Math.max(1, Math.round(options.tableLarge / 100));
    log(`Clean-up of ${probeExpired} expired sessions among ${options.tableLarge}`);
    const probe = async () => {
      await insertSessions(dataSource, {
        from: options.tableLarge + 1,
        to: options.tableLarge + probeExpired,
        users: options.users,
        expired: 'all',
      });
      const started = performance.now();
      const result = await service.deleteExpired(options.batchSize);
      if (result.deleted !== probeExpired) throw new Error('clean-up missed expired sessions');
      return performance.now() - started;
    };
    const withIndexMs = await probe();
    await dataSource.query(`DROP INDEX auth.sessions_expires_at_idx`);
    const withoutIndexMs = await probe();
    await dataSource.query(`CREATE INDEX sessions_expires_at_idx ON auth.sessions (expires_at)`);

    log(`Clean-up of ${options.expired} expired sessions`);
    await dataSource.query(`TRUNCATE auth.sessions`);
    await timed('expired sessions', () =>
      insertSessions(dataSource, {
        from: 1,
        to: options.expired,
        users: options.users,
        expired: 'all',
      }),
    );
    await fill(options.expired + 1, options.expired + options.tableSmall);
    const started = performance.now();
    const cleanup = await service.deleteExpired(options.batchSize);
    const totalMs = performance.now() - started;
    if (
      cleanup.deleted !== options.expired ||
      (await countSessions(dataSource)) !== options.tableSmall
    ) {
      throw new Error('the clean-up did not delete exactly the expired sessions');
    }

    const [{ server_version: postgres }] =
      await dataSource.query<[{ server_version: string }]>(`SHOW server_version`);
    return {
      machine: {
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(totalmem() / 2 ** 30),
        postgres,
      },
      options,
      poolSize,
      validation,
      tableSize: {
        concurrency: SCALE_CONCURRENCY,
        small,
        large,
        ratio: large.opsPerSec / small.opsPerSec,
      },
      deleteUser: {
        tableSessions,
        userSessions: options.userSessions,
        clientMs: median(clientMs),
        commitMs: median(commitMs),
        serverMs: median(serverMs),
      },
      cleanupIndex: {
        tableSessions: options.tableLarge,
        expired: probeExpired,
        withIndexMs,
        withoutIndexMs,
      },
      cleanup: {
        expired: options.expired,
        deleted: cleanup.deleted,
        batchSize: options.batchSize,
        batches: cleanup.batches,
        totalMs,
        longestBatchMs: cleanup.longestBatchMs,
      },
    };
  } finally {
    await rawPool.end();
  }
}

async function countSessions(dataSource: DataSource, where = 'true', params: unknown[] = []) {
  const [row] = await dataSource.query<[{ n: string }]>(
    `SELECT count(*) AS n FROM auth.sessions WHERE ${where}`,
    params,
  );
  return Number(row.n);
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
