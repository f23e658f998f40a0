import { readCatalog } from '../../src/migration-tools/catalog';
import {
  MIGRATION_LOCK_KEY,
  MigrationLockTimeoutError,
  withMigrationLock,
} from '../../src/migration-tools/migration-lock';
import { openDataSource, openMigrator } from '../../src/migration-tools/migrator';
import { type Finished, npmRun, typeormCli } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const PROCESSES = 8;

describe('the migration lock', () => {
  let reference: TestDatabase;

  beforeAll(async () => {
    reference = await createTestDatabase();
  });

  afterAll(() => reference?.drop());

  async function historyAndCatalog(url: string) {
    const dataSource = await openDataSource(url);
    try {
      const history = await dataSource.query<{ name: string }[]>(
        `SELECT name FROM public.migration_history ORDER BY id`,
      );
      return { history: history.map((row) => row.name), catalog: await readCatalog(dataSource) };
    } finally {
      await dataSource.destroy();
    }
  }

  const codes = (results: Finished[]) => results.map((result) => result.code);

  it(`lets ${PROCESSES} concurrent migration:run commands apply each migration exactly once, then ${PROCESSES} concurrent reverts end alike`, async () => {
    const database = await createTestDatabase({ empty: true });
    try {
      const env = { DATABASE_URL: database.url };
      const runs = await Promise.all(
        Array.from({ length: PROCESSES }, () => typeormCli(['migration:run'], env)),
      );

      expect(codes(runs)).toEqual(Array(PROCESSES).fill(0));
      const expected = await historyAndCatalog(reference.url);
      expect(await historyAndCatalog(database.url)).toEqual(expected);
      const executed = runs.flatMap((run) =>
        [...run.stdout.matchAll(/Migration (\w+) has been executed successfully/g)].map(
          (match) => match[1],
        ),
      );
      expect(executed.sort()).toEqual([...expected.history].sort());

      const [first] = expected.history;
      const reverts = await Promise.all(
        Array.from({ length: PROCESSES }, () => npmRun('db:revert', ['--to', first!], env)),
      );

      expect(codes(reverts)).toEqual(Array(PROCESSES).fill(0));
      const reverted = reverts.flatMap((revert) =>
        [...revert.stdout.matchAll(/^Reverted (\w+)$/gm)].map((match) => match[1]),
      );
      expect(reverted).toEqual(expected.history.slice(1).reverse());
      expect(reverts.filter((revert) => revert.stdout.includes('Nothing to revert'))).toHaveLength(
        PROCESSES - 1,
      );
      expect((await historyAndCatalog(database.url)).history).toEqual([first]);
    } finally {
      await database.drop();
    }
  }, 180_000);

  it('fails with one line naming the lock when another process holds it longer than the wait', async () => {
    const holder = await openDataSource(reference.url);
    const waiter = await openMigrator(reference.url, { lockTimeoutSeconds: 1 });
    const queryRunner = holder.createQueryRunner();
    try {
      await queryRunner.startTransaction();
      const [{ pid }] = await queryRunner.query(
        `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY}), pg_backend_pid() AS pid`,
      );

      const started = performance.now();
      const failure = waiter.run({ transaction: 'each' });

      await expect(failure).rejects.toThrow(MigrationLockTimeoutError);
      await expect(failure).rejects.toMatchObject({ name: 'MigrationLockTimeoutError' });
      // The whole second of the wait, in attempts 250 ms apart, not much more.
      expect(performance.now() - started).toBeGreaterThanOrEqual(950);
      expect(performance.now() - started).toBeLessThan(5000);
      await expect(failure).rejects.toThrow(
        `Waited 1 s for the migration lock (PostgreSQL advisory lock ${MIGRATION_LOCK_KEY} on database "${reference.name}"), held by another process applying or reverting migrations (server pid ${pid}): let it finish, or raise MIGRATION_LOCK_TIMEOUT_SECONDS`,
      );
    } finally {
      await queryRunner.rollbackTransaction();
      await queryRunner.release();
      await holder.destroy();
      await waiter.close();
    }
  });

  it('waits for a lock that another process holds, and goes on once it is released', async () => {
    const holder = await openDataSource(reference.url);
    const waiter = await openMigrator(reference.url, { lockTimeoutSeconds: 30 });
    const queryRunner = holder.createQueryRunner();
    try {
      await queryRunner.startTransaction();
      await queryRunner.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      const started = performance.now();
      let settled = false;
      const run = waiter.run({ transaction: 'each' }).finally(() => (settled = true));

      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(settled).toBe(false);
      await queryRunner.commitTransaction();

      await expect(run).resolves.toMatchObject({ applied: [] });
      expect(performance.now() - started).toBeLessThan(5000);
      // The waiter ended its own transaction: the lock is free again.
      const [{ locked }] = await holder.query(
        `SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked`,
      );
      expect(locked).toBe(true);
      await holder.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    } finally {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
      await queryRunner.release();
      await holder.destroy();
      await waiter.close();
    }
  });

  it('keeps the lock while the work outlasts idle_in_transaction_session_timeout', async () => {
    const database = await createTestDatabase();
    try {
      const setup = await openDataSource(database.url);
      await setup.query(
        `ALTER DATABASE "${database.name}" SET idle_in_transaction_session_timeout = '300ms'`,
      );
      await setup.destroy();
      const dataSource = await openDataSource(database.url);
      try {
        const work = () => new Promise((resolve) => setTimeout(() => resolve('done'), 1000));

        await expect(withMigrationLock(dataSource, 5, work)).resolves.toBe('done');
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await database.drop();
    }
  });
});
