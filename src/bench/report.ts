import type { BenchOptions } from './bench-options';

/** Everything `npm run bench -- --json` prints, as one object. Times in ms, rates in ops/s. */
export interface BenchReport {
  machine: { node: string; cpus: number; cpuModel: string; memoryGb: number; postgres: string };
  options: BenchOptions;
  poolSize: number;
  validation: {
    concurrency: number;
    ours: number;
    raw: number;
    findOne: number;
    /** `ours` reached through the signed session cookie, HMAC check included. */
    cookie: number;
    /** `ours` reached through the bearer plugin's signed `<token>.<signature>`. */
    signedBearer: number;
    ratio: number;
    findOneRatio: number;
    cookieRatio: number;
    signedBearerRatio: number;
    latencyMs: Record<
      'ours' | 'raw' | 'findOne' | 'cookie' | 'signedBearer',
      { p50: number; p99: number }
    >;
  }[];
  tableSize: { concurrency: number; small: TableSizeRun; large: TableSizeRun; ratio: number };
  /**
   * Medians: `clientMs` the DELETE statement as the client waits for it (cascade included),
   * `commitMs` its COMMIT (the WAL flush), `serverMs` the execution time EXPLAIN ANALYZE reports.
   */
  deleteUser: {
    tableSessions: number;
    userSessions: number;
    clientMs: number;
    commitMs: number;
    serverMs: number;
  };
  cleanupIndex: {
    tableSessions: number;
    expired: number;
    withIndexMs: number;
    withoutIndexMs: number;
  };
  cleanup: {
    expired: number;
    deleted: number;
    batchSize: number;
    batches: number;
    totalMs: number;
    longestBatchMs: number;
  };
}

/** Validation throughput (ours) with `sessions` rows in the table. */
export interface TableSizeRun {
  sessions: number;
  opsPerSec: number;
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => `${value.toFixed(value < 10 ? 3 : 1)} ms`;
const ratio = (value: number) => value.toFixed(2);

/** Writes the bench's figures as text, one line at a time through `write`. */
export function printReport(report: BenchReport, write: (line: string) => void): void {
  const { machine, options } = report;
  write('');
  write(
    `Machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, PostgreSQL ${machine.postgres}`,
  );
  write(
    `Data: ${int(options.users)} users, ${int(options.sessions)} sessions (a tenth expired); pool size ${report.poolSize}; ${options.duration} s per figure after ${options.warmup} s of warm-up`,
  );
  write('');
  write('Session validation (ops/s, p50 / p99 latency)');
  for (const row of report.validation) {
    const cell = (name: keyof (typeof row)['latencyMs']) =>
      `${int(row[name])} ops/s (${ms(row.latencyMs[name].p50)} / ${ms(row.latencyMs[name].p99)})`;
    write(`  ${row.concurrency} caller(s):`);
    write(`    (a) ours, SessionsService.validate   ${cell('ours')}`);
    write(`    (b) raw pg, named prepared statement ${cell('raw')}`);
    write(`    (c) TypeORM findOne with relations   ${cell('findOne')}`);
    write(`    (d) ours from the signed cookie      ${cell('cookie')}`);
    write(`    (e) ours from the signed bearer      ${cell('signedBearer')}`);
    write(
      `    (a)/(b) = ${ratio(row.ratio)}   (c)/(b) = ${ratio(row.findOneRatio)}   (d)/(b) = ${ratio(row.cookieRatio)}   (e)/(b) = ${ratio(row.signedBearerRatio)}`,
    );
  }
  const { tableSize, deleteUser, cleanupIndex, cleanup } = report;
  write('');
  write(`Validation by table size (ours, ${tableSize.concurrency} callers)`);
  write(`  ${int(tableSize.small.sessions)} sessions: ${int(tableSize.small.opsPerSec)} ops/s`);
  write(`  ${int(tableSize.large.sessions)} sessions: ${int(tableSize.large.opsPerSec)} ops/s`);
  write(`  ratio large/small = ${ratio(tableSize.ratio)}`);
  write('');
  write(
    `Delete a user with ${int(deleteUser.userSessions)} sessions out of ${int(deleteUser.tableSessions)}: client ${ms(deleteUser.clientMs)} (then COMMIT ${ms(deleteUser.commitMs)}), server ${ms(deleteUser.serverMs)} (medians)`,
  );
  write(
    `Clean-up of ${int(cleanupIndex.expired)} expired among ${int(cleanupIndex.tableSessions)} sessions: ${ms(cleanupIndex.withIndexMs)} with sessions_expires_at_idx, ${ms(cleanupIndex.withoutIndexMs)} without`,
  );
  write(
    `Clean-up of ${int(cleanup.expired)} expired sessions: ${int(cleanup.deleted)} deleted in ${ms(cleanup.totalMs)}, ${int(cleanup.batches)} batches of ${int(cleanup.batchSize)}, longest batch ${ms(cleanup.longestBatchMs)}`,
  );
}
