import { existsSync } from 'node:fs';
import { isNativeError } from 'node:util/types';
import {
  DataSource,
  type DataSourceOptions,
  type Migration,
  type MigrationInterface,
  QueryFailedError,
  TypeORMError,
} from 'typeorm';
import { type AppConfig, DEFAULT_CONFIG } from '../config/environment';
import { dataSourceOptions, MIGRATIONS_DIR } from '../database/data-source-options';
import { PG_LOCK_NOT_AVAILABLE } from '../database/postgres-errors';
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

/** Thrown when the database cannot be reached; the message is one line naming `DATABASE_URL`. */
export class DatabaseConnectionError extends Error {
  override readonly name = 'DatabaseConnectionError';
}

/** What to revert: the last `steps` migrations, or every migration applied after `to`. */
export type RevertTarget = { steps: number } | { to: string };

/** TypeORM's transaction modes of `runMigrations`, and whether to record without running. */
export interface RunOptions {
  transaction?: 'all' | 'none' | 'each';
  fake?: boolean;
}

/** What {@link Migrator.run} did. */
export interface MigrationRun {
  /** Names of the migrations applied, oldest first (empty when none was pending). */
  applied: string[];
  /** Checksums recorded for old migrations or accepted for changed ones. */
  checksums: ChecksumReport;
}

/** The settings that `env` gives, with the project's migrations folder. */
export function migrationSettings(env: AppConfig) {
  return {
    lockTimeoutSeconds: env.MIGRATION_LOCK_TIMEOUT_SECONDS,
    acceptChangedChecksums: env.MIGRATION_ACCEPT_CHANGED_CHECKSUMS,
    migrationsDir: MIGRATIONS_DIR,
    tableLockTimeoutSeconds: env.MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS,
    connectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT_SECONDS,
  } satisfies MigrationSettings;
}

/** `settings` over the environment variables' defaults and `migrations/`. */
function withDefaults(settings: Partial<MigrationSettings>): MigrationSettings {
  return { ...migrationSettings(DEFAULT_CONFIG), ...settings };
}

/**
 * The options of a DataSource that applies migrations: the app's options with the tools'
 * time-outs. No statement_timeout: building an index concurrently may rightly take hours;
 * `lock_timeout` bounds the wait for a table lock.
 */
export function migrationDataSourceOptions(
  url: string,
  settings: Partial<MigrationSettings> = {},
): DataSourceOptions {
  const all = withDefaults(settings);
  return dataSourceOptions(url, all.migrationsDir, {
    connectSeconds: all.connectTimeoutSeconds,
    lockSeconds: all.tableLockTimeoutSeconds,
  });
}

/**
 * Opens a DataSource with {@link migrationDataSourceOptions} on `url`, with a one-line error when
 * the server cannot be reached. The caller destroys it.
 *
 * @throws DatabaseConnectionError naming the host, port and database (never the password), also
 *   when the server does not answer within `settings.connectTimeoutSeconds`.
 */
export async function openDataSource(
  url: string,
  settings: Partial<MigrationSettings> = {},
): Promise<DataSource> {
  const dataSource = new DataSource(migrationDataSourceOptions(url, settings));
  try {
    return await dataSource.initialize();
  } catch (error) {
    const { hostname, port, pathname } = new URL(url);
    const target = `${hostname || 'localhost'}:${port || 5432}${pathname || ''}`;
    // Not `instanceof Error`: pg's socket errors come from Node's realm, which differs from the
    // caller's under Jest, and `String(error)` would then prefix the reason with `Error: `.
    const message = isNativeError(error) ? error.message : String(error);
    const reason = /timeout/i.test(message)
      ? `no answer within ${withDefaults(settings).connectTimeoutSeconds} s (DATABASE_CONNECT_TIMEOUT_SECONDS)`
      : message;
    throw new DatabaseConnectionError(
      `Cannot connect to the PostgreSQL that DATABASE_URL names (${target}): ${reason}`,
    );
  }
}

/**
 * Opens a {@link Migrator} on `url`; `close()` it when done.
 *
 * @throws DatabaseConnectionError as {@link openDataSource}.
 */
export async function openMigrator(
  url: string,
  settings: Partial<MigrationSettings> = {},
): Promise<Migrator> {
  return new Migrator(await openDataSource(url, settings), withDefaults(settings));
}

/**
 * Applies the pending migrations of `settings.migrationsDir` on `url` (see {@link Migrator.run}),
 * each in its own transaction, and closes the connection: what start-up runs.
 *
 * @throws DatabaseConnectionError; as {@link Migrator.run}.
 */
export async function runPendingMigrations(
  url: string,
  settings: Partial<MigrationSettings> = {},
): Promise<MigrationRun> {
  const migrator = await openMigrator(url, settings);
  try {
    return await migrator.run({ transaction: 'each' });
  } finally {
    await migrator.close();
  }
}

/** `lock_timeout` ran out (SQLSTATE 55P03, lock_not_available). */
function isLockNotAvailable(error: unknown): boolean {
  const cause: unknown = error instanceof QueryFailedError ? error.driverError : error;
  return (cause as { code?: string } | null)?.code === PG_LOCK_NOT_AVAILABLE;
}

/** DataSources whose migrations already record their checksums. */
const recording = new WeakSet<DataSource>();

/**
 * Applies and reverts migrations for the app, the CLI and the tests, around TypeORM's public
 * `runMigrations` and `undoLastMigration`:
 *
 * - holds the migration lock (see `withMigrationLock`) while TypeORM reads what is pending and
 *   runs it, so that concurrent processes apply each migration exactly once;
 * - first compares the applied migrations with their files and refuses when one changed or is
 *   gone (`MigrationChecksumError`), unless changed checksums are accepted;
 * - records (or deletes) each migration's checksum at the end of its `up` (or `down`), on the
 *   query runner TypeORM hands it, so inside the transaction that also writes its history row;
 * - waits at most `tableLockTimeoutSeconds` for a table lock (PostgreSQL's `lock_timeout`), so a
 *   migration stuck behind a long transaction fails ({@link MigrationBlockedError}) instead of
 *   holding up every query that queues behind its lock.
 */
export class Migrator {
  /** The migration that TypeORM runs or reverts now, for {@link MigrationBlockedError}. */
  private current?: string;

  /**
   * @param dataSource an initialized DataSource built with {@link migrationDataSourceOptions}; the
   *   Migrator wraps the `up` and `down` of its migration instances, so it serves one Migrator.
   * @param settings lock waits, checksum policy and the migrations folder.
   */
  constructor(
    readonly dataSource: DataSource,
    readonly settings: MigrationSettings,
  ) {
    if (recording.has(dataSource)) return;
    recording.add(dataSource);
    const sources = migrationSources(settings.migrationsDir);
    for (const migration of dataSource.migrations) this.recordChecksums(migration, sources);
  }

  /**
   * Applies the pending migrations under the lock, each in its own transaction unless told
   * otherwise (a migration with `transaction = false` runs outside any).
   *
   * @returns the names of the migrations applied, oldest first (none when another process applied
   *   them), and what the checksum comparison recorded.
   * @throws MigrationLockTimeoutError, MigrationChecksumError, MigrationBlockedError, or the
   *   failing migration's error.
   */
  run(options: RunOptions = {}): Promise<MigrationRun> {
    return this.underLock(async (checksums) => {
      const before = new Set((await readHistory(this.dataSource)).map(({ name }) => name));
      let applied: Migration[];
      try {
        applied = await this.dataSource.runMigrations(options);
      } catch (error) {
        if (!isLockNotAvailable(error)) throw error;
        throw new MigrationBlockedError(
          `Migration ${this.current ?? '(unknown)'} waited more than ${this.settings.tableLockTimeoutSeconds} s (MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS) for a table that another transaction holds, and was rolled back: retry when that transaction has ended (see docs/MIGRATIONS.md)`,
        );
      }
      if (!options.fake) return { applied: applied.map(({ name }) => name), checksums };
      // A fake run calls no `up` and returns no migration: find what it recorded in the history,
      // and record the files' checksums, as a real run would have.
      const faked = (await readHistory(this.dataSource))
        .map(({ name }) => name)
        .filter((name) => !before.has(name));
      await this.recordAll(faked);
      return { applied: faked, checksums };
    });
  }

  /**
   * Reverts the last applied migration under the lock (what `migration:revert` runs), in a
   * transaction unless the migration sets `transaction = false`.
   *
   * @returns the name of the reverted migration, or undefined when none was applied.
   * @throws as {@link run}; TypeORMError when the migration's file is gone.
   */
  async undoLast(options: { fake?: boolean } = {}): Promise<string | undefined> {
    return this.underLock(() => this.undoOne(options.fake ?? false));
  }

  /**
   * Reverts several migrations under one hold of the lock, newest first. `{ to }` is idempotent:
   * processes that run it together all end with `to` as the last applied migration.
   *
   * @returns the names of the reverted migrations, newest first (none when nothing was left).
   * @throws MigrationRevertError when `to` is not an applied migration; as {@link run}.
   */
  revert(target: RevertTarget): Promise<string[]> {
    return this.underLock(async () => {
      const history = await readHistory(this.dataSource);
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
      const reverted: string[] = [];
      for (let step = 0; step < count; step++) {
        const name = await this.undoOne(false);
        if (name) reverted.push(name);
      }
      return reverted;
    });
  }

  /**
   * Compares every applied migration with its file under the migration lock, recording the
   * checksums of migrations applied before checksums existed but never accepting a changed file
   * (what `npm run db:check` reports).
   */
  reviewChecksums(): Promise<ChecksumReport> {
    return withMigrationLock(this.dataSource, this.settings.lockTimeoutSeconds, () =>
      this.compareChecksums(false),
    );
  }

  /** Closes the DataSource. */
  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /** See {@link verifyChecksums}; the caller holds the migration lock. */
  private async compareChecksums(acceptChanged: boolean): Promise<ChecksumReport> {
    await ensureChecksumsTable(this.dataSource);
    return verifyChecksums(
      this.dataSource,
      migrationSources(this.settings.migrationsDir),
      acceptChanged,
    );
  }

  private underLock<T>(work: (checksums: ChecksumReport) => Promise<T>): Promise<T> {
    return withMigrationLock(this.dataSource, this.settings.lockTimeoutSeconds, async () => {
      const checksums = await this.compareChecksums(this.settings.acceptChangedChecksums);
      if (checksums.problems.length > 0) {
        throw new MigrationChecksumError(
          `${checksums.problems.join('\n')}\nRestore the applied migrations' files, or see "Repairing a checksum mismatch" in docs/MIGRATIONS.md`,
        );
      }
      return work(checksums);
    });
  }

  /** A migration that opts out of transactions (`transaction = false`) is reverted outside one. */
  private async undoOne(fake: boolean): Promise<string | undefined> {
    const [last] = (await readHistory(this.dataSource)).slice(-1);
    if (!last) return undefined;
    const instance = this.dataSource.migrations.find(
      (migration) => migrationName(migration) === last.name,
    );
    await this.dataSource.undoLastMigration({
      transaction: instance?.transaction === false ? 'none' : 'each',
      fake,
    });
    // A fake revert calls no `down`: forget the checksum, as a real one would have.
    if (fake) await deleteChecksum(this.dataSource, last.name);
    return last.name;
  }

  private async recordAll(names: string[]): Promise<void> {
    const sources = migrationSources(this.settings.migrationsDir);
    for (const name of names) {
      await recordChecksum(this.dataSource, name, checksumOf(this.sourceOf(name, sources)));
    }
  }

  private sourceOf(name: string, sources: Map<string, string>): string {
    const source = sources.get(name);
    if (!source || !existsSync(source)) {
      throw new TypeORMError(
        `The source file of migration ${name} is not in ${this.settings.migrationsDir}, so its checksum cannot be recorded (a build copies the .ts sources to dist/migrations)`,
      );
    }
    return source;
  }

  /**
   * Makes `migration` write its checksum at the end of `up` and delete it at the end of `down`,
   * through the query runner TypeORM passes: in the transaction that writes the history row.
   */
  private recordChecksums(migration: MigrationInterface, sources: Map<string, string>): void {
    const name = migrationName(migration);
    const up = migration.up.bind(migration);
    const down = migration.down.bind(migration);
    migration.up = async (queryRunner) => {
      const source = this.sourceOf(name, sources);
      this.current = name;
      await up(queryRunner);
      await recordChecksum(queryRunner, name, checksumOf(source));
    };
    migration.down = async (queryRunner) => {
      this.current = name;
      await down(queryRunner);
      await deleteChecksum(queryRunner, name);
    };
  }
}
