import type { Migrator } from './migrator';
import { readMigrationStatus } from './migration-status';
import { checkReversibility } from './reversibility';

/**
 * Everything `npm run db:check` checks, one line per problem:
 * - a pending migration;
 * - an applied migration whose file changed or is gone (checksums recorded under the lock first
 *   for migrations applied before checksums existed);
 * - a difference between the entities and the database (the statements `migration:generate`
 *   would write), when no migration is pending;
 * - a migration whose `down` does not restore the schema (walked on a scratch database).
 *
 * @param migrator a Migrator on the database to check.
 * @returns the problems; empty when the database and the migrations are in order.
 */
export async function checkDatabase(migrator: Migrator): Promise<string[]> {
  const { dataSource, settings } = migrator;
  const problems: string[] = [];
  const { pending } = await readMigrationStatus(dataSource);
  problems.push(...pending.map((migration) => `Migration ${migration.name} is pending`));

  problems.push(...(await migrator.reviewChecksums()).problems);

  if (pending.length === 0) {
    const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
    problems.push(
      ...upQueries.map(
        (query) => `Entities and database differ; migration:generate would write: ${query.query}`,
      ),
    );
  }

  const url = (dataSource.options as { url: string }).url;
  problems.push(...(await checkReversibility(url, settings.migrationsDir)));
  return problems;
}
