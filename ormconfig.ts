import { validateEnvironment } from './src/config/environment';
import { openDatabaseServer } from './src/embedded-postgres/database-server';
import {
  MigrationDataSource,
  migrationSettings,
} from './src/migration-tools/migration-data-source';

/**
 * The DataSource of the TypeORM CLI (`npm run typeorm <command>`), built from the same options as
 * the app's. Without DATABASE_URL it starts (or joins) the embedded PostgreSQL that `npm start`
 * uses; a server it started stops when the command exits. `migration:run` and `migration:revert`
 * hold the migration lock and keep the checksums (see MigrationDataSource).
 */
async function cliDataSource(): Promise<MigrationDataSource> {
  try {
    const env = validateEnvironment(process.env);
    const server = await openDatabaseServer(env);
    return new MigrationDataSource(server.url, migrationSettings(env));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

export default cliDataSource();
