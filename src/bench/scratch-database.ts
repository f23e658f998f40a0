import { randomBytes } from 'node:crypto';
import { runPendingMigrations } from '../database/migrations-runner';
import { runOnServer } from '../database/server-statement';

/** A throw-away database on the server the bench is pointed at, migrated like the app's. */
export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database, closing any connection still open on it. Idempotent. */
  drop(): Promise<void>;
}

/**
 * Creates `bench_<time>_<random>` on the server of `serverUrl` and applies every migration to it.
 *
 * @param serverUrl a connection URL of any database on the server; the user must be allowed to
 *   create databases.
 * @throws the server's error when the database cannot be created or migrated (it is dropped then).
 */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  const scratch: ScratchDatabase = {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await runOnServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
  await runOnServer(serverUrl, `CREATE DATABASE "${name}"`);
  try {
    await runPendingMigrations(scratch.url);
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  return scratch;
}
