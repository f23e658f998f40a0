import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { TypeORMError } from 'typeorm';
import { MigrationChecksumError } from '../../src/migration-tools/migration-checksums';
import {
  MIGRATION_LOCK_KEY,
  MigrationLockTimeoutError,
} from '../../src/migration-tools/migration-lock';
import {
  DatabaseConnectionError,
  MigrationRevertError,
  type Migrator,
  openDataSource,
  openMigrator,
  runPendingMigrations,
} from '../../src/migration-tools/migrator';
import {
  createTableMigration,
  type FixtureMigration,
  writeMigrations,
} from '../helpers/migration-fixtures';
import { freePort } from '../helpers/test-server';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const FIRST = 'CreateThings1700000000001';
const SECOND = 'CreateOthers1700000000002';
const THIRD = 'CreateMores1700000000003';
const FOURTH = 'CreateLasts1700000000004';

/** SHA-256 (hex) of a fixture file, which has LF line endings. */
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * The connections the tools left open on `url`'s database (application_name `nest-auth-db`),
 * after up to 3 s for those closing to go; pg's pool would close idle ones only after 10 s.
 */
async function connectionsLeft(url: string): Promise<number> {
  const client = new Client({ connectionString: url, application_name: 'migrator-spec' });
  await client.connect();
  try {
    const deadline = Date.now() + 3000;
    for (;;) {
      const { rows } = await client.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'nest-auth-db'`,
      );
      const count = rows[0]!.count;
      if (count === 0 || Date.now() > deadline) return count;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.end();
  }
}

/**
 * The Migrator's public functions called in-process (the `db:*` commands call them through `npm`
 * in db-commands.int-spec.ts): what a revert undoes and keeps, what `db:check`'s comparison of
 * checksums reports and records, and the one-line connection error.
 */
describe('the Migrator', () => {
  let database: TestDatabase;
  let dir: string;
  const migrators: Migrator[] = [];
  const fileOf = (name: string) => join(dir, `${name.slice(-13)}-${name.slice(0, -13)}.ts`);
  /** Adds a migration file to the fixture folder, as a new commit would. */
  const addMigration = (migration: FixtureMigration) => {
    const extra = writeMigrations([migration]);
    const file = `${migration.timestamp}-${migration.name}.ts`;
    copyFileSync(join(extra, file), join(dir, file));
    rmSync(extra, { recursive: true, force: true });
  };
  const open = async (settings: Parameters<typeof openMigrator>[1] = {}) => {
    const migrator = await openMigrator(database.url, { migrationsDir: dir, ...settings });
    migrators.push(migrator);
    return migrator;
  };

  /** What the database holds afterwards: history, checksums and the fixtures' tables. */
  const state = async () => {
    const dataSource = await openDataSource(database.url);
    try {
      const names = async (sql: string) =>
        (await dataSource.query<{ name: string }[]>(sql)).map((row) => row.name);
      return {
        history: await names(`SELECT name FROM public.migration_history ORDER BY id`),
        checksums: await names(`SELECT name FROM public.migration_checksums ORDER BY name`),
        tables: await names(
          `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace
              AND relname IN ('things', 'others', 'mores', 'lasts') ORDER BY 1`,
        ),
      };
    } finally {
      await dataSource.destroy();
    }
  };

  /** Runs `work` while another connection holds the migration lock, as a running migration does. */
  const whileLocked = async <T>(work: () => Promise<T>): Promise<T> => {
    const holder = await openDataSource(database.url);
    const queryRunner = holder.createQueryRunner();
    try {
      await queryRunner.startTransaction();
      await queryRunner.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      return await work();
    } finally {
      await queryRunner.rollbackTransaction();
      await queryRunner.release();
      await holder.destroy();
    }
  };

  // Each test starts from an empty database with three fixture migrations applied, so that any
  // test runs alone (npx jest -t).
  beforeEach(async () => {
    database = await createTestDatabase({ empty: true });
    dir = writeMigrations([
      createTableMigration('CreateThings', 1700000000001, 'things'),
      createTableMigration('CreateOthers', 1700000000002, 'others'),
      createTableMigration('CreateMores', 1700000000003, 'mores'),
    ]);
    await runPendingMigrations(database.url, { migrationsDir: dir });
  });

  afterEach(async () => {
    for (const migrator of migrators.splice(0)) await migrator.close();
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  describe('run', () => {
    it('with --fake records only the pending migrations, with their checksums, and runs none', async () => {
      addMigration(createTableMigration('CreateLasts', 1700000000004, 'lasts'));
      const migrator = await open();

      expect(await migrator.run({ fake: true })).toEqual({
        applied: [FOURTH],
        checksums: { problems: [], recorded: [], accepted: [] },
      });

      expect(await state()).toEqual({
        history: [FIRST, SECOND, THIRD, FOURTH],
        checksums: [FOURTH, THIRD, SECOND, FIRST],
        tables: ['mores', 'others', 'things'],
      });
    });

    it('refuses a migration whose .ts source is not beside it (a build without its sources), applying nothing', async () => {
      addMigration(createTableMigration('CreateLasts', 1700000000004, 'lasts'));
      const migrator = await open();
      rmSync(fileOf(FOURTH));
      const before = await state();

      const refused = await migrator.run().catch((error: unknown) => error);

      expect(refused).toBeInstanceOf(TypeORMError);
      expect((refused as Error).message).toBe(
        `The source file of migration ${FOURTH} is not in ${dir}, so its checksum cannot be recorded (a build copies the .ts sources to dist/migrations)`,
      );
      expect(await state()).toEqual(before);
    });

    it('refuses with one line per changed or missing applied migration, then how to repair', async () => {
      const before = sha256(fileOf(FIRST));
      appendFileSync(fileOf(FIRST), '// edited after it was applied\n');
      rmSync(fileOf(THIRD));
      const migrator = await open();

      const refused = await migrator.run().catch((error: unknown) => error);

      expect(refused).toBeInstanceOf(MigrationChecksumError);
      expect((refused as Error).message.split('\n')).toEqual([
        `Applied migration ${FIRST} was changed after it was applied (${fileOf(FIRST)}: checksum ${sha256(fileOf(FIRST)).slice(0, 12)}, recorded ${before.slice(0, 12)})`,
        `Applied migration ${THIRD} has no file`,
        `Restore the applied migrations' files, or see "Repairing a checksum mismatch" in docs/MIGRATIONS.md`,
      ]);
    });

    it('runPendingMigrations closes its connections when it is done', async () => {
      addMigration(createTableMigration('CreateLasts', 1700000000004, 'lasts'));

      const run = await runPendingMigrations(database.url, { migrationsDir: dir });

      expect(run.applied).toEqual([FOURTH]);
      expect(await connectionsLeft(database.url)).toBe(0);
    });

    it('close() ends the connections of the Migrator, and a second close() does nothing', async () => {
      const migrator = await openMigrator(database.url, { migrationsDir: dir });
      await migrator.run();

      await migrator.close();
      await migrator.close();

      expect(migrator.dataSource.isInitialized).toBe(false);
      expect(await connectionsLeft(database.url)).toBe(0);
    });
  });

  describe('undoLast', () => {
    it('reverts the last migration, and returns nothing once none is applied', async () => {
      const migrator = await open();

      expect(await migrator.revert({ steps: 2 })).toEqual([THIRD, SECOND]);
      expect(await migrator.undoLast()).toBe(FIRST);
      expect(await migrator.undoLast()).toBeUndefined();

      expect(await state()).toEqual({ history: [], checksums: [], tables: [] });
    });
  });

  describe('revert', () => {
    it('{ steps: 1 } reverts the last migration only: its objects, its history row and its checksum', async () => {
      const migrator = await open();

      expect(await migrator.revert({ steps: 1 })).toEqual([THIRD]);

      expect(await state()).toEqual({
        history: [FIRST, SECOND],
        checksums: [SECOND, FIRST],
        tables: ['others', 'things'],
      });
    });

    it('{ steps: N } reverts N migrations, newest first, and stops at an empty history', async () => {
      const migrator = await open();

      expect(await migrator.revert({ steps: 2 })).toEqual([THIRD, SECOND]);
      expect(await state()).toEqual({ history: [FIRST], checksums: [FIRST], tables: ['things'] });

      expect(await migrator.revert({ steps: 5 })).toEqual([FIRST]);
      expect(await migrator.revert({ steps: 1 })).toEqual([]);
      expect(await state()).toEqual({ history: [], checksums: [], tables: [] });
    });

    it('{ to } reverts every migration applied after it, and nothing when it is the last', async () => {
      const migrator = await open();

      expect(await migrator.revert({ to: SECOND })).toEqual([THIRD]);
      expect(await migrator.revert({ to: FIRST })).toEqual([SECOND]);
      expect(await state()).toEqual({ history: [FIRST], checksums: [FIRST], tables: ['things'] });

      expect(await migrator.revert({ to: FIRST })).toEqual([]);
      expect((await state()).history).toEqual([FIRST]);
    });

    it('{ to } a migration that is not applied throws one line naming it, and reverts nothing', async () => {
      const migrator = await open();
      const before = await state();

      const refused = migrator.revert({ to: 'Nope1700000000000' });

      await expect(refused).rejects.toThrow(MigrationRevertError);
      await expect(refused).rejects.toMatchObject({
        name: 'MigrationRevertError',
        message:
          'Migration Nope1700000000000 is not applied, so there is nothing to revert to: see npm run db:status',
      });
      expect(await state()).toEqual(before);
    });

    it('keeps the migration applied, its objects and its checksum when its down fails half way', async () => {
      await database.drop();
      database = await createTestDatabase({ empty: true });
      rmSync(dir, { recursive: true, force: true });
      dir = writeMigrations([
        {
          name: 'CreateThings',
          timestamp: 1700000000001,
          up: ['CREATE TABLE things (id int)'],
          down: ['DROP TABLE things', 'SELECT 1 / 0'],
        },
      ]);
      await runPendingMigrations(database.url, { migrationsDir: dir });
      const migrator = await open();

      await expect(migrator.revert({ steps: 1 })).rejects.toThrow('division by zero');

      expect(await state()).toEqual({
        history: [FIRST],
        checksums: [FIRST],
        tables: ['things'],
      });
    });

    it('waits for the migration lock, and reverts nothing when another process holds it too long', async () => {
      const migrator = await open({ lockTimeoutSeconds: 1 });
      const before = await state();

      const refused = await whileLocked(() =>
        migrator.revert({ steps: 1 }).catch((error: unknown) => error),
      );

      expect(refused).toBeInstanceOf(MigrationLockTimeoutError);
      expect(await state()).toEqual(before);
    });

    it('refuses to revert over a changed applied migration, naming it, and reverts nothing', async () => {
      appendFileSync(fileOf(FIRST), '// edited after it was applied\n');
      const migrator = await open();
      const before = await state();

      const refused = await migrator.revert({ steps: 1 }).catch((error: unknown) => error);

      expect(refused).toBeInstanceOf(MigrationChecksumError);
      expect((refused as Error).message.split('\n')[0]).toMatch(
        new RegExp(`^Applied migration ${FIRST} was changed after it was applied \\(`),
      );
      expect(await state()).toEqual(before);
    });
  });

  describe('reviewChecksums (what db:check compares)', () => {
    it('finds nothing to report when every applied file is as it was applied', async () => {
      const migrator = await open();

      expect(await migrator.reviewChecksums()).toEqual({
        problems: [],
        recorded: [],
        accepted: [],
      });
    });

    it('reports a changed file with its checksums, and never accepts it, even with MIGRATION_ACCEPT_CHANGED_CHECKSUMS=true', async () => {
      const before = sha256(fileOf(SECOND));
      appendFileSync(fileOf(SECOND), '// edited after it was applied\n');
      const migrator = await open({ acceptChangedChecksums: true });

      const report = await migrator.reviewChecksums();

      expect(report).toEqual({
        problems: [
          `Applied migration ${SECOND} was changed after it was applied (${fileOf(SECOND)}: checksum ${sha256(fileOf(SECOND)).slice(0, 12)}, recorded ${before.slice(0, 12)})`,
        ],
        recorded: [],
        accepted: [],
      });
      const dataSource = await openDataSource(database.url);
      try {
        const [row] = await dataSource.query<{ checksum: string }[]>(
          `SELECT checksum FROM public.migration_checksums WHERE name = $1`,
          [SECOND],
        );
        expect(row?.checksum).toBe(before);
      } finally {
        await dataSource.destroy();
      }
    });

    it('reports an applied migration whose file is gone', async () => {
      rmSync(fileOf(THIRD));
      const migrator = await open();

      expect((await migrator.reviewChecksums()).problems).toEqual([
        `Applied migration ${THIRD} has no file`,
      ]);
    });

    it('records the checksums of migrations applied before checksums existed, creating their table', async () => {
      const dataSource = await openDataSource(database.url);
      await dataSource.query(`DROP TABLE public.migration_checksums`);
      await dataSource.destroy();
      const migrator = await open();

      expect(await migrator.reviewChecksums()).toEqual({
        problems: [],
        recorded: [FIRST, SECOND, THIRD],
        accepted: [],
      });
      expect((await state()).checksums).toEqual([THIRD, SECOND, FIRST]);
    });

    it('waits for the migration lock, and fails naming it when another process holds it too long', async () => {
      const migrator = await open({ lockTimeoutSeconds: 1 });

      const refused = await whileLocked(() =>
        migrator.reviewChecksums().catch((error: unknown) => error),
      );

      expect(refused).toBeInstanceOf(MigrationLockTimeoutError);
      expect((refused as Error).message).toMatch(/^Waited 1 s for the migration lock /);
    });
  });
});

describe('the connection error of the migration tools', () => {
  it('is one line naming DATABASE_URL, its host, port and database, and not its password', async () => {
    const port = await freePort();

    const refused = await openDataSource(`postgres://app:secret@127.0.0.1:${port}/app`).catch(
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(DatabaseConnectionError);
    expect(refused).toMatchObject({
      name: 'DatabaseConnectionError',
      message: `Cannot connect to the PostgreSQL that DATABASE_URL names (127.0.0.1:${port}/app): connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    expect((refused as Error).message).not.toContain('secret');
  });

  it('names port 5432 when the URL gives none, and no database when it names none', async () => {
    // 127.0.0.3 is a loopback address that no server here listens on.
    const refused = openMigrator('postgres://app:secret@127.0.0.3');

    await expect(refused).rejects.toThrow(DatabaseConnectionError);
    await expect(refused).rejects.toThrow(
      'Cannot connect to the PostgreSQL that DATABASE_URL names (127.0.0.3:5432): connect ECONNREFUSED 127.0.0.3:5432',
    );
  });

  it('names localhost:5432 when the URL names no host and no port', async () => {
    const refused = openDataSource('postgres:///app');

    // The reason depends on whether a server listens there: refused, or no user name given.
    await expect(refused).rejects.toThrow(DatabaseConnectionError);
    await expect(refused).rejects.toThrow(
      /^Cannot connect to the PostgreSQL that DATABASE_URL names \(localhost:5432\/app\): \S/,
    );
  });

  it('says how long it waited when the server accepts the connection but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const refused = openMigrator(`postgres://app@127.0.0.1:${port}/app`, {
        connectTimeoutSeconds: 1,
      });

      await expect(refused).rejects.toThrow(
        `Cannot connect to the PostgreSQL that DATABASE_URL names (127.0.0.1:${port}/app): no answer within 1 s (DATABASE_CONNECT_TIMEOUT_SECONDS)`,
      );
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
