import { type Catalog, readCatalog } from './catalog';
import { runMigrationStep, walkMigrations } from './migration-steps';

/**
 * Proves every migration reversible on an empty scratch database: for each migration, oldest
 * first, it snapshots the catalog, runs `up`, snapshots, runs `down` and compares with the
 * snapshot before `up`, then runs `up` again and compares with the snapshot after it.
 *
 * @param serverUrl a database on the server to use; the scratch database is created beside it
 *   (CREATEDB privilege needed) and dropped afterwards.
 * @param migrationsDir the folder of the migrations to walk.
 * @returns one line per problem, naming the migration; empty when every migration is reversible.
 *   The walk stops at the first migration whose `up` or `down` fails.
 */
export async function checkReversibility(
  serverUrl: string,
  migrationsDir: string,
): Promise<string[]> {
  const problems: string[] = [];
  let failed = false;
  await walkMigrations(serverUrl, migrationsDir, async ({ name, migration, dataSource }) => {
    if (failed) return;
    const snapshot = () => readCatalog(dataSource);
    const step = async (direction: 'up' | 'down') => {
      try {
        await runMigrationStep(dataSource, migration, direction);
        return true;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        problems.push(`Migration ${name}: ${direction} failed on a scratch database: ${reason}`);
        failed = true;
        return false;
      }
    };
    const before = await snapshot();
    if (!(await step('up'))) return;
    const after = await snapshot();
    if (!(await step('down'))) return;
    const difference = describeDifference(before, await snapshot());
    if (difference)
      problems.push(`Migration ${name}: down does not restore the schema: ${difference}`);
    if (!(await step('up'))) return;
    const again = describeDifference(after, await snapshot());
    if (again) problems.push(`Migration ${name}: up after down gives another schema: ${again}`);
  });
  return problems;
}

/** The lines that one catalog has and the other lacks, in one line; empty when they are equal. */
export function describeDifference(expected: Catalog, actual: Catalog): string {
  const missing: string[] = [];
  const extra: string[] = [];
  for (const key of Object.keys(expected) as (keyof Catalog)[]) {
    missing.push(...expected[key].filter((line) => !actual[key].includes(line)));
    extra.push(...actual[key].filter((line) => !expected[key].includes(line)));
  }
  const parts = [];
  if (missing.length > 0) parts.push(`missing ${missing.join('; ')}`);
  if (extra.length > 0) parts.push(`left over ${extra.join('; ')}`);
  return parts.join('; ');
}
