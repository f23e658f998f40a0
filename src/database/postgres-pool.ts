import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

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

/**
 * Sends one `pg` query config (a named prepared statement, say) where `manager` would send its
 * queries: on its query runner's connection when it has one (a replica's, in
 * `ReplicaReads.read`, or a transaction's), else on the data source's pool ({@link postgresPool}).
 *
 * @returns the rows, as `pg` parses them.
 * @throws what `pg` throws (a `DatabaseError` with its SQLSTATE `code`, or a connection error).
 */
export async function queryThrough<R extends QueryResultRow>(
  manager: EntityManager,
  config: QueryConfig,
): Promise<R[]> {
  const runner = manager.queryRunner;
  if (!runner) return (await postgresPool(manager.dataSource).query<R>(config)).rows;
  const client = (await runner.connect()) as PoolClient;
  return (await client.query<R>(config)).rows;
}
