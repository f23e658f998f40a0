import { DataSource } from 'typeorm';
import { parseConfig } from './src/config/environment';
import { openPostgresTarget } from './src/embedded-postgres/postgres-target';
import { migrationDataSourceOptions, migrationSettings } from './src/migration-tools/migrator';

/**
 * The DataSource of the TypeORM CLI (`npm run typeorm <command>`), built from the same options as
 * the app's. Without DATABASE_URL it starts (or joins) the embedded PostgreSQL that `npm start`
 * uses; a server it started stops when the command exits. `npm run typeorm migration:run` and
 * `migration:revert` do not reach TypeORM's CLI: `src/bin/typeorm-cli.ts` hands them to the
 * Migrator, which holds the migration lock and keeps the checksums.
 */
async function cliDataSource(): Promise<DataSource> {
  try {
    const env = parseConfig(process.env);
    const server = await openPostgresTarget(env);
    return new DataSource(migrationDataSourceOptions(server.url, migrationSettings(env)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

export default cliDataSource();
