import type { DataSource, QueryRunner } from 'typeorm';
import { DEFAULT_CONFIG } from '../../config/environment';
import { withMigrationLock } from '../migration-lock';
import type { InsertedRows } from './seed';
import { type LoadedSeed, loadSeeds } from './seed-loader';

/** Table of applied seeds; in `public`, like the migration history, so no revert drops it. */
export const SEED_HISTORY_TABLE = 'public.seed_history';

/** Thrown when a seed cannot be run or reverted for a reason the caller can fix; one line. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

/** A seed that was applied or reverted, and how many rows it inserted or deleted. */
export interface SeedResult {
  name: string;
  rows: number;
}

/** A seed as `seed:show` lists it. */
export interface SeedStatus {
  name: string;
  demo: boolean;
  /** When it was applied (the database clock), or null when it is pending. */
  runAt: Date | null;
}

const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS ${SEED_HISTORY_TABLE} (
  id serial PRIMARY KEY,
  "timestamp" bigint NOT NULL,
  name text NOT NULL UNIQUE,
  run_at timestamptz NOT NULL DEFAULT now(),
  inserted_keys jsonb NOT NULL
)`;

/**
 * Applies, reverts and lists the seeds of `migrations/seeds/`. Each seed runs in a transaction of
 * its own that also records it in (or deletes it from) `public.seed_history`, so a seed that
 * fails leaves nothing behind. `run` and `revertLast` hold the migration lock (see
 * `withMigrationLock`), so two runners started together never apply a seed twice, and seeds never
 * run while another process applies or reverts migrations.
 */
export class SeedRunner {
  private readonly seeds: LoadedSeed[] = loadSeeds();

  /**
   * @param dataSource an initialized DataSource on the database to seed.
   * @param lockTimeoutSeconds how long to wait for the migration lock, in seconds (default
   *   `MIGRATION_LOCK_TIMEOUT_SECONDS`'s default).
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly lockTimeoutSeconds = DEFAULT_CONFIG.MIGRATION_LOCK_TIMEOUT_SECONDS,
  ) {}

  /**
   * Applies the pending seeds, oldest first. Demo seeds are skipped unless `demo` is true.
   *
   * @returns the seeds applied, with the number of rows each inserted (0 when every row was
   *   there already); empty when none was pending.
   * @throws SeedError when migrations are pending (seeds need the whole schema); a failing
   *   seed's error, after its transaction is rolled back (the seeds before it stay applied).
   */
  run(options: { demo?: boolean } = {}): Promise<SeedResult[]> {
    return this.underLock(() => this.runPending(options.demo ?? false));
  }

  private async runPending(demo: boolean): Promise<SeedResult[]> {
    if (await this.dataSource.showMigrations()) {
      throw new SeedError(
        'Migrations are pending: apply them first with npm run typeorm migration:run',
      );
    }
    await this.dataSource.query(CREATE_HISTORY);
    const recorded = new Set(
      (
        await this.dataSource.query<{ name: string }[]>(`SELECT name FROM ${SEED_HISTORY_TABLE}`)
      ).map((row) => row.name),
    );
    const applied: SeedResult[] = [];
    for (const { name, timestamp, seed } of this.seeds) {
      if ((seed.demo && !demo) || recorded.has(name)) continue;
      const result = await this.inTransaction(async (queryRunner) => {
        const inserted = await seed.up(queryRunner);
        await queryRunner.query(
          `INSERT INTO ${SEED_HISTORY_TABLE} ("timestamp", name, inserted_keys) VALUES ($1, $2, $3)`,
          [timestamp, name, JSON.stringify(inserted)],
        );
        return { name, rows: countRows(inserted) };
      });
      applied.push(result);
    }
    return applied;
  }

  /**
   * Reverts the seed applied last: its `down` deletes the rows its `up` inserted, as recorded.
   *
   * @returns the seed reverted and the number of rows it deleted; null when none is applied.
   * @throws SeedError when the seed applied last has no class in `migrations/seeds/`; the
   *   seed's `down` error (such as a row still referenced by a row the seed did not insert),
   *   after its transaction is rolled back: the seed stays applied and nothing is deleted.
   */
  revertLast(): Promise<SeedResult | null> {
    return this.underLock(() => this.revertNewest());
  }

  private async revertNewest(): Promise<SeedResult | null> {
    await this.dataSource.query(CREATE_HISTORY);
    return this.inTransaction(async (queryRunner) => {
      const [last] = (await queryRunner.query(
        `SELECT id, name, inserted_keys FROM ${SEED_HISTORY_TABLE} ORDER BY id DESC LIMIT 1`,
      )) as { id: number; name: string; inserted_keys: InsertedRows[] }[];
      if (!last) return null;
      const loaded = this.seeds.find((seed) => seed.name === last.name);
      if (!loaded) {
        throw new SeedError(
          `Seed ${last.name} is recorded in ${SEED_HISTORY_TABLE} but has no class in migrations/seeds/`,
        );
      }
      await loaded.seed.down(queryRunner, last.inserted_keys);
      await queryRunner.query(`DELETE FROM ${SEED_HISTORY_TABLE} WHERE id = $1`, [last.id]);
      return { name: last.name, rows: countRows(last.inserted_keys) };
    });
  }

  /** Every seed, oldest first, with when it was applied. Writes nothing. */
  async show(): Promise<SeedStatus[]> {
    const [table] = await this.dataSource.query<{ exists: boolean }[]>(
      `SELECT to_regclass($1) IS NOT NULL AS exists`,
      [SEED_HISTORY_TABLE],
    );
    const history = table?.exists
      ? await this.dataSource.query<{ name: string; run_at: Date }[]>(
          `SELECT name, run_at FROM ${SEED_HISTORY_TABLE}`,
        )
      : [];
    return this.seeds.map(({ name, seed }) => ({
      name,
      demo: seed.demo,
      runAt: history.find((row) => row.name === name)?.run_at ?? null,
    }));
  }

  private underLock<T>(work: () => Promise<T>): Promise<T> {
    return withMigrationLock(this.dataSource, this.lockTimeoutSeconds, work);
  }

  private async inTransaction<T>(work: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      try {
        const result = await work(queryRunner);
        await queryRunner.commitTransaction();
        return result;
      } catch (error) {
        await queryRunner.rollbackTransaction();
        throw error;
      }
    } finally {
      await queryRunner.release();
    }
  }
}

function countRows(inserted: InsertedRows[]): number {
  return inserted.reduce((sum, step) => sum + step.ids.length, 0);
}
