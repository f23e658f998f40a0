import { runPendingMigrations } from '../database/migrations-runner';
import { createScratchDatabase, type ScratchDatabase } from '../database/scratch-database';

/**
 * Creates `bench_<random>` on the server of `serverUrl` and applies every migration to it.
 *
 * @param serverUrl a connection URL of any database on the server; the user must be allowed to
 *   create databases.
 * @throws the server's error when the database cannot be created or migrated (it is dropped then).
 */
export async function createBenchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const scratch = await createScratchDatabase(serverUrl, 'bench');
  try {
    await runPendingMigrations(scratch.url);
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  return scratch;
}
