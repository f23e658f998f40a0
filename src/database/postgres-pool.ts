import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The `pg` pool that TypeORM opened for a PostgreSQL data source: the one pool of the process,
 * shared by the repositories, the session lookup's prepared statement and Better Auth.
 *
 * @throws Error when the data source is not initialised or is not PostgreSQL.
 */
export function postgresPool(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as { master?: Pool }).master;
  if (!dataSource.isInitialized || !pool) {
    throw new Error('postgresPool needs an initialised PostgreSQL DataSource');
  }
  return pool;
}
