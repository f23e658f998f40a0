import { rmSync } from 'node:fs';
import {
  openDataSource,
  openMigrator,
  runPendingMigrations,
} from '../../src/migration-tools/migrator';
import { createTableMigration, writeMigrations } from '../helpers/migration-fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe('migration transactions', () => {
  let database: TestDatabase;
  const dirs: string[] = [];
  const fixture = (...args: Parameters<typeof writeMigrations>) => {
    const dir = writeMigrations(...args);
    dirs.push(dir);
    return dir;
  };
  const query = async <T>(sql: string): Promise<T[]> => {
    const dataSource = await openDataSource(database.url);
    try {
      return await dataSource.query<T[]>(sql);
    } finally {
      await dataSource.destroy();
    }
  };
  const names = async (sql: string) => (await query<{ name: string }>(sql)).map((row) => row.name);

  beforeEach(async () => {
    database = await createTestDatabase({ empty: true });
  });

  afterEach(() => database?.drop());

  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('leaves no trace of a migration that fails half way: no objects, no history row, no checksum', async () => {
    const dir = fixture([
      createTableMigration('CreateThings', 1700000000001, 'things'),
      {
        name: 'HalfWay',
        timestamp: 1700000000002,
        up: [
          'CREATE TABLE halves (id int)',
          'CREATE INDEX halves_id_idx ON halves (id)',
          'SELECT 1 / 0',
        ],
        down: ['DROP TABLE halves'],
      },
    ]);

    await expect(runPendingMigrations(database.url, { migrationsDir: dir })).rejects.toThrow(
      'division by zero',
    );

    expect(await names(`SELECT name FROM public.migration_history ORDER BY id`)).toEqual([
      'CreateThings1700000000001',
    ]);
    expect(await names(`SELECT name FROM public.migration_checksums`)).toEqual([
      'CreateThings1700000000001',
    ]);
    expect(
      await names(
        `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace
            AND relname LIKE 'halves%' ORDER BY 1`,
      ),
    ).toEqual([]);
  });

  it('runs a migration that sets transaction = false (CREATE INDEX CONCURRENTLY) under the lock, and reverts it', async () => {
    const dir = fixture([
      createTableMigration('CreateThings', 1700000000001, 'things'),
      {
        name: 'IndexThings',
        timestamp: 1700000000002,
        transaction: false,
        up: ['CREATE INDEX CONCURRENTLY IF NOT EXISTS things_id_idx ON things (id)'],
        down: ['DROP INDEX CONCURRENTLY IF EXISTS things_id_idx'],
      },
    ]);
    const indexes = () =>
      names(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'things'`);

    const run = await runPendingMigrations(database.url, { migrationsDir: dir });

    expect(run.applied).toEqual(['CreateThings1700000000001', 'IndexThings1700000000002']);
    expect(await indexes()).toEqual(['things_id_idx']);
    const migrator = await openMigrator(database.url, { migrationsDir: dir });
    try {
      expect(await migrator.revert({ steps: 1 })).toEqual(['IndexThings1700000000002']);
    } finally {
      await migrator.close();
    }
    expect(await indexes()).toEqual([]);
  });
});
