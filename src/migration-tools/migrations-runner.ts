import type { ChecksumReport } from './migration-checksums';
import { MigrationDataSource, type MigrationSettings } from './migration-data-source';

/** Thrown when the database cannot be reached; the message is one line naming `DATABASE_URL`. */
export class DatabaseConnectionError extends Error {
  override readonly name = 'DatabaseConnectionError';
}

/**
 * Opens a DataSource on `url`, with a one-line error when the server cannot be reached.
 *
 * @param settings lock wait, checksum policy and migrations folder (defaults: see MigrationDataSource).
 * @throws DatabaseConnectionError naming the host, port and database (never the password), also
 *   when the server does not answer within `settings.connectTimeoutSeconds`.
 */
export async function connect(
  url: string,
  settings: Partial<MigrationSettings> = {},
): Promise<MigrationDataSource> {
  const dataSource = new MigrationDataSource(url, settings);
  try {
    return await dataSource.initialize();
  } catch (error) {
    const { hostname, port, pathname } = new URL(url);
    const target = `${hostname || 'localhost'}:${port || 5432}${pathname || ''}`;
    const message = error instanceof Error ? error.message : String(error);
    const reason = /timeout/i.test(message)
      ? `no answer within ${dataSource.settings.connectTimeoutSeconds} s (DATABASE_CONNECT_TIMEOUT_SECONDS)`
      : message;
    throw new DatabaseConnectionError(
      `Cannot connect to the PostgreSQL that DATABASE_URL names (${target}): ${reason}`,
    );
  }
}

/** What {@link runPendingMigrations} did. */
export interface MigrationRun {
  /** Names of the migrations applied, oldest first (empty when none was pending). */
  applied: string[];
  /** Checksums recorded for old migrations or accepted for changed ones. */
  checksums: ChecksumReport;
}

/**
 * Applies the pending migrations under the migration lock, each in its own transaction, after
 * comparing the applied ones with their files.
 *
 * @throws DatabaseConnectionError when the server cannot be reached; MigrationLockTimeoutError;
 *   MigrationChecksumError when an applied migration changed; a failing migration's error.
 */
export async function runPendingMigrations(
  url: string,
  settings: Partial<MigrationSettings> = {},
): Promise<MigrationRun> {
  const dataSource = await connect(url, settings);
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return {
      applied: applied.map((migration) => migration.name),
      checksums: dataSource.checksumReport ?? { problems: [], recorded: [], accepted: [] },
    };
  } finally {
    await dataSource.destroy();
  }
}
