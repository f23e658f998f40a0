import { Client } from 'pg';
import type { HttpBenchReport } from '../../src/bench/http-bench';
import type { BenchReport } from '../../src/bench/report';
import { npmRun } from '../helpers/processes';
import { ADMIN_URL_VAR } from '../helpers/test-database';

/** A run small enough for a test: figures are meaningless, the shape and the clean-up are not. */
const TINY = [
  '--duration',
  '0.2',
  '--warmup',
  '0.05',
  '--rounds',
  '2',
  '--users',
  '50',
  '--sessions',
  '200',
  '--table-small',
  '100',
  '--table-large',
  '1000',
  '--user-sessions',
  '20',
  '--expired',
  '1500',
  '--batch-size',
  '100',
];

/** Matches a finite number greater than 0 (`expect.any(Number)` would take 0 and -1 too). */
const positive = {
  asymmetricMatch: (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) && value > 0,
  toAsymmetricMatcher: () => 'a positive number',
} as unknown as number;

/** Whether the server of `url` has a database called `name`. */
async function databaseExists(url: string, name: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    return rows.length > 0;
  } finally {
    await client.end();
  }
}

describe('npm run bench', () => {
  const adminUrl = () => process.env[ADMIN_URL_VAR]!;

  it('prints one JSON object with every figure, and drops its scratch database', async () => {
    const { code, stdout, stderr } = await npmRun('bench', ['--json', ...TINY], {
      DATABASE_URL: adminUrl(),
    });

    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!) as BenchReport;
    expect(report.validation.map((row) => row.concurrency)).toEqual([1, 16]);
    for (const row of report.validation) {
      expect(row).toMatchObject({
        ours: positive,
        raw: positive,
        findOne: positive,
        cookie: positive,
        signedBearer: positive,
        ratio: positive,
      });
      expect(row.ratio).toBeCloseTo(row.ours / row.raw, 10);
      expect(row.findOneRatio).toBeCloseTo(row.findOne / row.raw, 10);
      expect(row.cookieRatio).toBeCloseTo(row.cookie / row.raw, 10);
      expect(row.signedBearerRatio).toBeCloseTo(row.signedBearer / row.raw, 10);
      for (const name of ['ours', 'raw', 'findOne', 'cookie', 'signedBearer'] as const) {
        expect(row.latencyMs[name].p99).toBeGreaterThanOrEqual(row.latencyMs[name].p50);
      }
    }
    expect(report.tableSize).toMatchObject({
      small: { sessions: 100, opsPerSec: positive },
      large: { sessions: 1000, opsPerSec: positive },
    });
    expect(report.deleteUser).toMatchObject({
      tableSessions: 1000 + 10 * 20,
      userSessions: 20,
      clientMs: positive,
      commitMs: positive,
      serverMs: positive,
    });
    expect(report.cleanupIndex).toMatchObject({ tableSessions: 1000, expired: 10 });
    expect(report.cleanup).toMatchObject({
      expired: 1500,
      deleted: 1500,
      batchSize: 100,
      batches: 16,
    });
    expect(report.cleanup.longestBatchMs).toBeLessThanOrEqual(report.cleanup.totalMs);

    const scratch = /Scratch database (bench_\w+)/.exec(stderr)?.[1];
    expect(scratch).toBeDefined();
    expect(await databaseExists(adminUrl(), scratch!)).toBe(false);
  });

  it('prints the text report without --json', async () => {
    const { code, stdout } = await npmRun('bench', TINY, {
      DATABASE_URL: adminUrl(),
    });

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /\(a\)\/\(b\) = \d+\.\d\d {3}\(c\)\/\(b\) = \d+\.\d\d {3}\(d\)\/\(b\) = \d+\.\d\d {3}\(e\)\/\(b\) = \d+\.\d\d/,
    );
    expect(stdout).toContain('Clean-up of 1,500 expired sessions: 1,500 deleted');
  });

  it('--http: measures the built app against the bare baseline on both routes, at 1 and 16 connections', async () => {
    const { code, stdout, stderr } = await npmRun(
      'bench',
      ['--http', '--json', '--duration', '0.4', '--warmup', '0.1', '--rounds', '2'].concat([
        '--users',
        '50',
        '--sessions',
        '200',
      ]),
      { DATABASE_URL: adminUrl() },
    );

    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(stdout.trim()) as HttpBenchReport;
    expect(report.http.map((row) => [row.route, row.concurrency])).toEqual([
      ['session', 1],
      ['session', 16],
      ['items', 1],
      ['items', 16],
    ]);
    for (const row of report.http) {
      expect(row).toMatchObject({
        app: positive,
        baseline: positive,
        ratio: positive,
        p99App: positive,
        p99Baseline: positive,
      });
      expect(row.ratio).toBeCloseTo(row.app / row.baseline, 10);
      expect(row.p99App).toBeGreaterThanOrEqual(row.p50App);
      expect(row.p99Baseline).toBeGreaterThanOrEqual(row.p50Baseline);
    }
    expect(report.appRssMb).toEqual(positive);
    const scratch = /Scratch database (bench_\w+)/.exec(stderr)?.[1];
    expect(scratch).toBeDefined();
    expect(await databaseExists(adminUrl(), scratch!)).toBe(false);
  }, 240_000);

  it('refuses a bad option with one line naming it', async () => {
    const { code, stderr } = await npmRun('bench', ['--duration', 'x'], {
      DATABASE_URL: adminUrl(),
    });

    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'BenchOptionsError: --duration must be a number of at least 0.01, got x',
    );
  });
});
