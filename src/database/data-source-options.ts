import { extname, join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { PostgresNamingStrategy } from './postgres-naming.strategy';

/** Folder of the migration classes: `migrations/` at the top, or `dist/migrations/` once built. */
export const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');

/**
 * Extension of the migration files to load: `.ts` under ts-node and Jest, `.js` once built (the
 * build also copies the `.ts` sources next to the `.js` files, for their checksums).
 */
export const MIGRATIONS_EXTENSION = extname(__filename);

/** Table of applied migrations, in schema `public`. */
export const MIGRATIONS_TABLE = 'migration_history';

/**
 * The one options object behind every DataSource: the app's, the TypeORM CLI's (`ormconfig.ts`)
 * and the tests'.
 *
 * @param url a PostgreSQL connection URL.
 * @param migrationsDir the folder of the migration classes; tests point it at fixture folders.
 * @returns options with `synchronize: false`: the schema changes only through migrations, each
 *   applied in a transaction of its own.
 */
export function dataSourceOptions(url: string, migrationsDir = MIGRATIONS_DIR): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [join(migrationsDir, `*${MIGRATIONS_EXTENSION}`)],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    namingStrategy: new PostgresNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is built into PostgreSQL 13 and later: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    applicationName: 'nest-auth-db',
  };
}
