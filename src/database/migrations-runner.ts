import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** Thrown when the database cannot be reached; the message is one line naming `DATABASE_URL`. */
export class DatabaseConnectionError extends Error {
  override readonly name = 'DatabaseConnectionError';
}

/**
 * Opens a DataSource on `url`, with a one-line error when the server cannot be reached.
 *
 * @throws DatabaseConnectionError naming the host, port and database (never the password).
 */
export async function connect(url: string): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(url));
  try {
    return await dataSource.initialize();
  } catch (error) {
    const { hostname, port, pathname } = new URL(url);
    const target = `${hostname || 'localhost'}:${port || 5432}${pathname || ''}`;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseConnectionError(
      `Cannot connect to the PostgreSQL that DATABASE_URL names (${target}): ${reason}`,
    );
  }
}

/**
 * Applies the pending migrations, each in its own transaction.
 *
 * @returns the names of the migrations applied, oldest first (empty when none was pending).
 * @throws DatabaseConnectionError when the server cannot be reached; a failing migration's error.
 */
export async function runPendingMigrations(url: string): Promise<string[]> {
  const dataSource = await connect(url);
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
