import { existsSync } from 'node:fs';
import {
  DataSource,
  type Migration,
  MigrationExecutor,
  QueryFailedError,
  type QueryRunner,
  TypeORMError,
} from 'typeorm';
import { type Environment, validateEnvironment } from '../config/environment';
import { dataSourceOptions, MIGRATIONS_DIR } from '../database/data-source-options';
import {
  type ChecksumReport,
  checksumOf,
  deleteChecksum,
  ensureChecksumsTable,
  MigrationChecksumError,
  recordChecksum,
  verifyChecksums,
} from './migration-checksums';
import { readHistory } from './migration-history';
import { withMigrationLock } from './migration-lock';
import { migrationName, migrationSources } from './migration-sources';
import { PG_LOCK_NOT_AVAILABLE } from '../database/postgres-errors';

/** How migrations are applied and reverted, from the environment unless a test says otherwise. */
export interface MigrationSettings {
  /** Wait for the migration lock, in seconds (`MIGRATION_LOCK_TIMEOUT_SECONDS`). */
  lockTimeoutSeconds: number;
  /** `MIGRATION_ACCEPT_CHANGED_CHECKSUMS=true`: record changed checksums instead of refusing. */
  acceptChangedChecksums: boolean;
  /** Folder of the migration classes; `migrations/` (or `dist/migrations/`) by default. */
  migrationsDir: string;
  /** Wait for a table lock, in seconds (`MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS`). */
  tableLockTimeoutSeconds: number;
  /** Wait to connect, in seconds (`DATABASE_CONNECT_TIMEOUT_SECONDS`). */
  connectTimeoutSeconds: number;
}

/** Thrown when a revert cannot be done as asked; the message is one line. */
export class MigrationRevertError extends Error {
  override readonly name = 'MigrationRevertError';
}

/**
 * Thrown when a migration gave up waiting for a table lock (`MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS`);
 * the message is one line naming the migration and asking for a retry.
 */
export class MigrationBlockedError extends Error {
  override readonly name = 'MigrationBlockedError';
}

/** `lock_timeout` ran out (SQLSTATE 55P03, lock_not_available). */
function isLockNotAvailable(error: unknown): boolean {
  const cause: unknown = error instanceof QueryFailedError ? error.driverError : error;
  return (cause as { code?: string } | null)?.code === PG_LOCK_NOT_AVAILABLE;
}

/** What to revert: the last `steps` migrations, or every migration applied after `to`. */
export type RevertTarget = { steps: number } | { to: string };

/** The settings that `env` gives, with the project's migrations folder. */
export function migrationSettings(env: Environment) {
  return {
    lockTimeoutSeconds: env.MIGRATION_LOCK_TIMEOUT_SECONDS,
    acceptChangedChecksums: env.MIGRATION_ACCEPT_CHANGED_CHECKSUMS === 'true',
    migrationsDir: MIGRATIONS_DIR,
    tableLockTimeoutSeconds: env.MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS,
    connectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT_SECONDS,
  } satisfies MigrationSettings;
}

/**
 * The DataSource that applies and reverts migrations for the app, the TypeORM CLI
 * (`ormconfig.ts`) and the tests. On top of TypeORM's runner, `runMigrations` and
 * `undoLastMigration`:
 *
 * - hold the migration lock (see `withMigrationLock`) while they read what is pending and run it,
 *   so that concurrent processes apply each migration exactly once;
 * - compare the applied migrations with their files first and refuse when one changed or is gone
 *   (`MigrationChecksumError`), unless changed checksums are accepted;
 * - record (or delete) each migration's checksum in the same transaction as its history row;
 * - wait at most `tableLockTimeoutSeconds` for a table lock (PostgreSQL's `lock_timeout`), so a
 *   migration stuck behind a long transaction fails ({@link MigrationBlockedError}) instead of
 *   holding up every query that queues behind its lock.
 */
export class MigrationDataSource extends DataSource {
  readonly settings: MigrationSettings;
  /** What the last run or revert found when it compared the applied migrations with their files. */
  checksumReport?: ChecksumReport;

  /**
   * @param url a PostgreSQL connection URL.
   * @param settings defaults: the environment variables' defaults and `migrations/`.
   */
  constructor(url: string, settings: Partial<MigrationSettings> = {}) {
    const all = { ...migrationSettings(validateEnvironment({})), ...settings };
    // No statement_timeout: building an index concurrently may rightly take hours.
    super(
      dataSourceOptions(url, all.migrationsDir, {
        connectSeconds: all.connectTimeoutSeconds,
        lockSeconds: all.tableLockTimeoutSeconds,
      }),
    );
    this.settings = all;
  }

  /**
   * Applies the pending migrations under the lock, each in its own transaction unless told
   * otherwise (a migration with `transaction = false` runs outside any).
   *
   * @returns the migrations applied, oldest first (none when another process applied them).
   * @throws MigrationLockTimeoutError, MigrationChecksumError, MigrationBlockedError, or the
   *   failing migration's error.
   */
  override runMigrations(options?: {
    transaction?: 'all' | 'none' | 'each';
    fake?: boolean;
  }): Promise<Migration[]> {
    return this.underLock(async () => {
      const executor = this.executor();
      executor.transaction =
        options?.transaction ?? this.options.migrationsTransactionMode ?? 'all';
      executor.fake = options?.fake ?? false;
      try {
        return await executor.executePendingMigrations();
      } catch (error) {
        if (!isLockNotAvailable(error)) throw error;
        // Applied ones are committed: the first still pending is the one that waited.
        const [blocked] = await executor.getPendingMigrations();
        throw new MigrationBlockedError(
          `Migration ${blocked?.name ?? '(unknown)'} waited more than ${this.settings.tableLockTimeoutSeconds} s (MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS) for a table that another transaction holds, and was rolled back: retry when that transaction has ended (see docs/MIGRATIONS.md)`,
        );
      }
    });
  }

  /**
   * Reverts the last applied migration under the lock (what `migration:revert` runs), in a
   * transaction unless the migration sets `transaction = false`; `options.transaction` is not used.
   *
   * @throws as {@link runMigrations}; TypeORMError when the migration's file is gone.
   */
  override async undoLastMigration(options?: {
    transaction?: 'all' | 'none' | 'each';
    fake?: boolean;
  }): Promise<void> {
    await this.underLock(() => this.undoOne(options?.fake ?? false));
  }

  /**
   * Reverts several migrations under one hold of the lock, newest first. `{ to }` is idempotent:
   * processes that run it together all end with `to` as the last applied migration.
   *
   * @returns the names of the reverted migrations, newest first (none when nothing was left).
   * @throws MigrationRevertError when `to` is not an applied migration; as {@link runMigrations}.
   */
  revert(target: RevertTarget): Promise<string[]> {
    return this.underLock(async () => {
      const history = await readHistory(this);
      let count: number;
      if ('to' in target) {
        const index = history.findIndex((migration) => migration.name === target.to);
        if (index < 0) {
          throw new MigrationRevertError(
            `Migration ${target.to} is not applied, so there is nothing to revert to: see npm run db:status`,
          );
        }
        count = history.length - 1 - index;
      } else {
        count = Math.min(target.steps, history.length);
      }
      const reverted = history
        .slice(history.length - count)
        .reverse()
        .map((migration) => migration.name);
      for (let step = 0; step < count; step++) await this.undoOne(false);
      return reverted;
    });
  }

  /**
   * Compares every applied migration with its file under the migration lock, recording the
   * checksums of migrations applied before checksums existed but never accepting a changed file
   * (what `npm run db:check` reports).
   */
  reviewChecksums(): Promise<ChecksumReport> {
    return withMigrationLock(this, this.settings.lockTimeoutSeconds, () =>
      this.compareChecksums(false),
    );
  }

  /** See {@link verifyChecksums}; the caller holds the migration lock. */
  private async compareChecksums(acceptChanged: boolean): Promise<ChecksumReport> {
    await ensureChecksumsTable(this);
    return verifyChecksums(this, migrationSources(this.settings.migrationsDir), acceptChanged);
  }

  private async underLock<T>(work: () => Promise<T>): Promise<T> {
    return withMigrationLock(this, this.settings.lockTimeoutSeconds, async () => {
      this.checksumReport = await this.compareChecksums(this.settings.acceptChangedChecksums);
      if (this.checksumReport.problems.length > 0) {
        throw new MigrationChecksumError(
          `${this.checksumReport.problems.join('\n')}\nRestore the applied migrations' files, or see "Repairing a checksum mismatch" in docs/MIGRATIONS.md`,
        );
      }
      return work();
    });
  }

  /** A migration that opts out of transactions (`transaction = false`) is reverted outside one. */
  private async undoOne(fake: boolean): Promise<void> {
    const [last] = (await readHistory(this)).slice(-1);
    const instance = this.migrations.find((migration) => migrationName(migration) === last?.name);
    const executor = this.executor();
    executor.transaction = instance?.transaction === false ? 'none' : 'each';
    executor.fake = fake;
    await executor.undoLastMigration();
  }

  private executor(): ChecksumRecordingExecutor {
    return new ChecksumRecordingExecutor(this, this.settings.migrationsDir);
  }
}

/** TypeORM's executor, writing each checksum beside the history row, in the same transaction. */
class ChecksumRecordingExecutor extends MigrationExecutor {
  private readonly sources: Map<string, string>;

  constructor(
    dataSource: DataSource,
    private readonly migrationsDir: string,
  ) {
    super(dataSource);
    this.sources = migrationSources(migrationsDir);
  }

  protected override async insertExecutedMigration(queryRunner: QueryRunner, migration: Migration) {
    const source = this.sources.get(migration.name);
    if (!source || !existsSync(source)) {
      throw new TypeORMError(
        `The source file of migration ${migration.name} is not in ${this.migrationsDir}, so its checksum cannot be recorded (a build copies the .ts sources to dist/migrations)`,
      );
    }
    await super.insertExecutedMigration(queryRunner, migration);
    await recordChecksum(queryRunner, migration.name, checksumOf(source));
  }

  protected override async deleteExecutedMigration(queryRunner: QueryRunner, migration: Migration) {
    await super.deleteExecutedMigration(queryRunner, migration);
    await deleteChecksum(queryRunner, migration.name);
  }
}
