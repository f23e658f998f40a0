import { Client } from 'pg';
import {
  MigrationBlockedError,
  openDataSource,
  runPendingMigrations,
} from '../../src/migration-tools/migrator';
import { runStatement } from '../../src/migration-tools/scratch-database';
import { writeMigrations } from '../helpers/migration-fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe('a migration waiting for a table lock (MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS)', () => {
  let database: TestDatabase;
  const clients: Client[] = [];

  const open = async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    await runStatement(database.url, 'CREATE TABLE held (id int)');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end()));
    await database?.drop();
  });

  it('fails within the bound with one line naming the migration, and does not hold up the queries of others', async () => {
    const migrationsDir = writeMigrations([
      {
        name: 'AddNoteToHeld',
        timestamp: 1700000000000,
        up: ['ALTER TABLE held ADD COLUMN note text'],
        down: ['ALTER TABLE held DROP COLUMN note'],
      },
    ]);
    // A long transaction that read the table: ALTER TABLE needs it to end.
    const holder = await open();
    await holder.query('BEGIN');
    await holder.query('SELECT count(*) FROM held');

    const started = Date.now();
    const migration = runPendingMigrations(database.url, {
      migrationsDir,
      tableLockTimeoutSeconds: 1,
    }).then(
      () => undefined,
      (error: unknown) => ({ error, seconds: (Date.now() - started) / 1000 }),
    );
    // Another reader arrives while the migration waits: it queues behind the migration's lock.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const reader = await open();
    const read = reader
      .query('SELECT count(*) FROM held')
      .then(() => (Date.now() - started) / 1000);

    const failed = await migration;
    expect(failed?.error).toBeInstanceOf(MigrationBlockedError);
    expect(failed?.error).toMatchObject({ name: 'MigrationBlockedError' });
    expect((failed?.error as Error).message).toBe(
      'Migration AddNoteToHeld1700000000000 waited more than 1 s (MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS) for a table that another transaction holds, and was rolled back: retry when that transaction has ended (see docs/MIGRATIONS.md)',
    );
    expect(failed?.seconds).toBeLessThan(3);
    // The reader got through once the migration gave up, while the long transaction still runs.
    expect(await read).toBeLessThan(3);
    const { rows } = await holder.query<{ name: string }>(
      `SELECT name FROM public.migration_history`,
    );
    expect(rows).toEqual([]);
    await holder.query('COMMIT');

    // The retry the message asks for succeeds once the transaction is over.
    const retried = await runPendingMigrations(database.url, { migrationsDir });
    expect(retried.applied).toEqual(['AddNoteToHeld1700000000000']);
  });

  it('has no statement_timeout: a long migration (CREATE INDEX CONCURRENTLY) is not cut short', async () => {
    const dataSource = await openDataSource(database.url, { tableLockTimeoutSeconds: 7 });
    try {
      const [statement] =
        await dataSource.query<{ statement_timeout: string }[]>('SHOW statement_timeout');
      const [lock] = await dataSource.query<{ lock_timeout: string }[]>('SHOW lock_timeout');
      expect([statement?.statement_timeout, lock?.lock_timeout]).toEqual(['0', '7s']);
    } finally {
      await dataSource.destroy();
    }
  });
});
