import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { parseConfig } from '../config/environment';
import { runPendingMigrations } from '../migration-tools/migrator';
import { ItemsRepository } from '../items/items.repository';
import { SessionsService } from '../sessions/sessions.service';
import {
  benchToken,
  benchUserIdSql,
  insertItems,
  insertUsersAndSessions,
  isExpiredSession,
} from './bench-data';
import type { BenchOptions } from './bench-options';
import { type LoadResult, measure } from './load';
import { startStreamingReplica, type StreamingReplica } from './streaming-replica';

/** Concurrent callers, as the issue asks. */
const CONCURRENCY = 16;
/** Items per user; the item-list read asks for a page of 20. */
const ITEMS_PER_USER = 50;
const PAGE = 20;
/** Writers of the burst and its length, in seconds. */
const BURST_WRITERS = 16;
const BURST_SECONDS = 5;

/** One setup's throughput (calls per second) and median and p99 latency (ms). */
type Figures = Pick<LoadResult, 'opsPerSec' | 'p50Ms' | 'p99Ms'>;

/** What `npm run bench -- --replica` reports. */
export interface ReplicaBenchReport {
  machine: { cpus: number; loadAverage1m: number };
  concurrency: number;
  sessionLookup: { primaryOnly: Figures; withReplica: Figures };
  itemList: { primaryOnly: Figures; withReplica: Figures };
  writeBurst: {
    writers: number;
    seconds: number;
    inserts: number;
    maxLagMs: number;
    maxLagBytes: number;
  };
}

/**
 * The replica bench (`npm run bench -- --replica`): a private primary and streaming replica on the
 * embedded binaries ({@link startStreamingReplica}), the session lookup (`SessionsService.validate`,
 * always on the primary) and a page of a user's items (`ItemsRepository.findPage`, on the replica
 * when there is one) measured at 16 callers in an app with `DATABASE_URL` alone and in one with
 * `DATABASE_REPLICA_URLS` too; then the replication lag seen on the primary
 * (`pg_stat_replication.replay_lag` and the bytes not yet replayed, sampled every 20 ms) while
 * 16 writers insert items for 5 s. Uses `--users`, `--sessions`, `--duration`, `--warmup`,
 * `--rounds` and `--json` like the session bench.
 */
export async function runReplicaBench(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<void> {
  const pair = await startStreamingReplica();
  const apps: INestApplicationContext[] = [];
  try {
    log(
      `Primary and streaming replica on ${new URL(pair.primaryUrl).host}, ${new URL(pair.replicaUrl).host}`,
    );
    await runPendingMigrations(pair.primaryUrl);
    const primaryOnly = await openApp(pair.primaryUrl, undefined);
    apps.push(primaryOnly);
    await insertData(primaryOnly.get(DataSource), options);
    await pair.caughtUp(120_000);
    const withReplica = await openApp(pair.primaryUrl, pair.replicaUrl);
    apps.push(withReplica);
    const report = await compare(primaryOnly, withReplica, options, log);
    report.writeBurst = await writeBurst(pair, primaryOnly.get(DataSource), log);
    if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else log(JSON.stringify(report, null, 2));
  } finally {
    for (const app of apps) await app.close();
    await pair.stop();
  }
}

/** The app on the pair: the environment's settings with `url` and `replica` as its database. */
async function openApp(url: string, replica: string | undefined): Promise<INestApplicationContext> {
  const config = parseConfig({ ...process.env, SESSION_CLEANUP_INTERVAL_SECONDS: '0' });
  const module = AppModule.forRoot({
    ...config,
    DATABASE_URL: url,
    DATABASE_REPLICA_URLS: replica,
    BETTER_AUTH_SECRET: config.BETTER_AUTH_SECRET ?? randomBytes(32).toString('hex'),
  });
  return NestFactory.createApplicationContext(module, { logger: false });
}

async function insertData(dataSource: DataSource, options: BenchOptions): Promise<void> {
  await insertUsersAndSessions(dataSource, options);
  await insertItems(dataSource, { users: options.users, perUser: ITEMS_PER_USER });
  await dataSource.query('ANALYZE');
}

async function compare(
  primaryOnly: INestApplicationContext,
  withReplica: INestApplicationContext,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ReplicaBenchReport> {
  const lookup = (app: INestApplicationContext) => {
    const service = app.get(SessionsService);
    return async () => {
      let n = 1 + Math.floor(Math.random() * options.sessions);
      if (isExpiredSession(n)) n = n === options.sessions ? n - 1 : n + 1;
      if (!(await service.validate(benchToken(n)))) throw new Error('a valid token was refused');
    };
  };
  const list = (app: INestApplicationContext) => {
    const items = app.get(ItemsRepository);
    const ids = app
      .get(DataSource)
      .query<{ id: string }[]>(
        `SELECT ${benchUserIdSql('g')} AS id FROM generate_series(1, $1::int) g`,
        [options.users],
      )
      .then((rows) => rows.map((row) => row.id));
    return async () => {
      const all = await ids;
      const userId = all[Math.floor(Math.random() * all.length)]!;
      const page = await items.findPage({ userId, limit: PAGE });
      if (page.items.length !== PAGE) throw new Error('an item page came back short');
    };
  };
  const load = {
    concurrency: CONCURRENCY,
    seconds: options.duration,
    warmupSeconds: options.warmup,
    rounds: options.rounds,
  };
  log(`Session lookup and item list, ${CONCURRENCY} callers, primary alone and with a replica`);
  const results = await measure(
    {
      lookupPrimary: lookup(primaryOnly),
      lookupReplica: lookup(withReplica),
      listPrimary: list(primaryOnly),
      listReplica: list(withReplica),
    },
    load,
  );
  const figures = (name: keyof typeof results): Figures => ({
    opsPerSec: Math.round(results[name].opsPerSec),
    p50Ms: Math.round(results[name].p50Ms * 100) / 100,
    p99Ms: Math.round(results[name].p99Ms * 100) / 100,
  });
  return {
    machine: { cpus: cpus().length, loadAverage1m: loadavg()[0]! },
    concurrency: CONCURRENCY,
    sessionLookup: { primaryOnly: figures('lookupPrimary'), withReplica: figures('lookupReplica') },
    itemList: { primaryOnly: figures('listPrimary'), withReplica: figures('listReplica') },
    writeBurst: { writers: 0, seconds: 0, inserts: 0, maxLagMs: 0, maxLagBytes: 0 },
  };
}

/** Inserts items from 16 writers for 5 s while sampling the lag on the primary every 20 ms. */
async function writeBurst(
  pair: StreamingReplica,
  dataSource: DataSource,
  log: (line: string) => void,
): Promise<ReplicaBenchReport['writeBurst']> {
  log(`Write burst: ${BURST_WRITERS} writers for ${BURST_SECONDS} s`);
  const end = Date.now() + BURST_SECONDS * 1000;
  let inserts = 0;
  const writer = async () => {
    while (Date.now() < end) {
      await dataSource.query(
        `INSERT INTO app.items (user_id, category_id, title)
         SELECT ${benchUserIdSql('1')}, id, 'burst' FROM master.categories WHERE slug = 'bench'`,
      );
      inserts++;
    }
  };
  let maxLagMs = 0;
  let maxLagBytes = 0;
  const sampler = async () => {
    while (Date.now() < end) {
      const [row] = await pair.primarySql<{ ms: number | null; bytes: string | null }>(
        `SELECT extract(epoch FROM replay_lag) * 1000 AS ms,
                pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text AS bytes
           FROM pg_stat_replication`,
      );
      maxLagMs = Math.max(maxLagMs, Number(row?.ms ?? 0));
      maxLagBytes = Math.max(maxLagBytes, Number(row?.bytes ?? 0));
      await sleep(20);
    }
  };
  await Promise.all([...Array.from({ length: BURST_WRITERS }, writer), sampler()]);
  return {
    writers: BURST_WRITERS,
    seconds: BURST_SECONDS,
    inserts,
    maxLagMs: Math.round(maxLagMs * 10) / 10,
    maxLagBytes,
  };
}
