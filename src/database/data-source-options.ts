import { extname, join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/environment';
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
 * Bounds on the waits of a DataSource's connections, in seconds; an unset or 0 bound is not set.
 * The server-side ones go to PostgreSQL as startup parameters of each connection.
 */
export interface ConnectionTimeouts {
  /** Opening a connection, or waiting for a free one of the pool (pg's `connectionTimeoutMillis`). */
  connectSeconds: number;
  /** PostgreSQL's `statement_timeout`. */
  statementSeconds?: number;
  /** PostgreSQL's `idle_in_transaction_session_timeout`. */
  idleInTransactionSeconds?: number;
  /** PostgreSQL's `lock_timeout`: how long a statement waits for a lock on a table or row. */
  lockSeconds?: number;
  /** The client's own limit on a query (pg's `query_timeout`), which a frozen server cannot miss. */
  querySeconds?: number;
}

/** The API's bounds: every `DATABASE_*_TIMEOUT_SECONDS` variable of the configuration. */
export function apiTimeouts(config: AppConfig): ConnectionTimeouts {
  return {
    connectSeconds: config.DATABASE_CONNECT_TIMEOUT_SECONDS,
    statementSeconds: config.DATABASE_STATEMENT_TIMEOUT_SECONDS,
    idleInTransactionSeconds: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS,
    querySeconds: config.DATABASE_QUERY_TIMEOUT_SECONDS,
  };
}

/** Seconds to pg's milliseconds; undefined for an unset or 0 bound (pg then sends nothing). */
const ms = (seconds: number | undefined) => (seconds ? seconds * 1000 : undefined);

/**
 * The one options object behind every DataSource: the app's, the TypeORM CLI's (`ormconfig.ts`)
 * and the tests'.
 *
 * @param url a PostgreSQL connection URL.
 * @param migrationsDir the folder of the migration classes; tests point it at fixture folders.
 * @param timeouts bounds on waits (default: a 5 s connect time-out and nothing else, what the
 *   tools and migrations want; the app adds {@link apiTimeouts}).
 * @param replicas streaming replicas of `url` (`DATABASE_REPLICA_URLS`), for the app only: the
 *   CLI, migrations and seeds use the primary alone. With any, TypeORM's `replication` option
 *   opens one pool per server, with `defaultMode: 'master'`: every query goes to the primary
 *   unless a repository reads through `ReplicaReads` (docs/SCALING.md).
 * @returns options with `synchronize: false`: the schema changes only through migrations, each
 *   applied in a transaction of its own.
 */
export function dataSourceOptions(
  url: string,
  migrationsDir = MIGRATIONS_DIR,
  timeouts: ConnectionTimeouts = { connectSeconds: 5 },
  replicas: string[] = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    ...(replicas.length === 0
      ? { url }
      : {
          replication: {
            master: { url },
            slaves: replicas.map((replica) => ({ url: replica })),
            defaultMode: 'master',
          },
        }),
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
    connectTimeoutMS: ms(timeouts.connectSeconds),
    // pg's pool options, passed to each of its clients.
    extra: {
      statement_timeout: ms(timeouts.statementSeconds),
      idle_in_transaction_session_timeout: ms(timeouts.idleInTransactionSeconds),
      lock_timeout: ms(timeouts.lockSeconds),
      query_timeout: ms(timeouts.querySeconds),
    },
  };
}
