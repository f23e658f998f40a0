import type { DataSource, MigrationInterface } from 'typeorm';
import { openDataSource } from './migrator';
import { migrationName } from './migration-sources';
import { createScratchDatabase } from './scratch-database';

/** One migration of a walk, on a scratch database where every migration before it is applied. */
export interface MigrationStep {
  name: string;
  migration: MigrationInterface;
  dataSource: DataSource;
}

/**
 * Runs `up` or `down` of one migration by itself (no history row), in a transaction unless the
 * migration sets `transaction = false`, and gives back every SQL statement it sent.
 *
 * @throws the migration's error, after rolling its transaction back.
 */
export async function runMigrationStep(
  dataSource: DataSource,
  migration: MigrationInterface,
  direction: 'up' | 'down',
): Promise<string[]> {
  const queryRunner = dataSource.createQueryRunner();
  const sent: string[] = [];
  const query = queryRunner.query.bind(queryRunner);
  // Catches the SQL of queryRunner.query and of the helpers built on it (createTable, ...).
  queryRunner.query = ((sql: string, ...rest: never[]) => {
    sent.push(sql);
    return query(sql, ...rest);
  }) as typeof queryRunner.query;
  const inTransaction = migration.transaction !== false;
  try {
    if (inTransaction) await queryRunner.startTransaction();
    await migration[direction](queryRunner);
    if (inTransaction) await queryRunner.commitTransaction();
    return sent;
  } finally {
    if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
    await queryRunner.release();
  }
}

/**
 * Creates an empty scratch database on the server of `serverUrl` and calls `visit` for each
 * migration of `migrationsDir`, oldest first; `visit` must leave its migration applied. The
 * scratch database is dropped afterwards, whatever happens.
 */
export async function walkMigrations(
  serverUrl: string,
  migrationsDir: string,
  visit: (step: MigrationStep) => Promise<void>,
): Promise<void> {
  const scratch = await createScratchDatabase(serverUrl);
  try {
    const dataSource = await openDataSource(scratch.url, { migrationsDir });
    try {
      const ordered = [...dataSource.migrations].sort(
        (a, b) => Number(migrationName(a).slice(-13)) - Number(migrationName(b).slice(-13)),
      );
      for (const migration of ordered) {
        await visit({ name: migrationName(migration), migration, dataSource });
      }
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await scratch.drop();
  }
}
