import { DataSource } from 'typeorm';
import { validateEnvironment } from './src/config/environment';
import { dataSourceOptions } from './src/database/data-source-options';
import { openDatabaseServer } from './src/database/database-server';

/**
 * The DataSource of the TypeORM CLI (`npm run typeorm <command>`), built from the same options as
 * the app's. Without DATABASE_URL it starts (or joins) the embedded PostgreSQL that `npm start`
 * uses; a server it started stops when the command exits.
 */
async function cliDataSource(): Promise<DataSource> {
  try {
    const server = await openDatabaseServer(validateEnvironment(process.env));
    return new DataSource(dataSourceOptions(server.url));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

export default cliDataSource();
