import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checksumOf, MigrationChecksumError } from '../../src/database/migration-checksums';
import { connect, runPendingMigrations } from '../../src/database/migrations-runner';
import { createTableMigration, writeMigrations } from '../helpers/migration-fixtures';
import { runMain, startMain, stopProcess } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { freePort } from '../helpers/test-server';

const FIRST = 'CreateThings1700000000001';
const SECOND = 'CreateOthers1700000000002';

describe('checksums of applied migrations', () => {
  let database: TestDatabase;
  let dir: string;
  const fileOf = (name: string) => join(dir, `${name.slice(-13)}-${name.slice(0, -13)}.ts`);
  const recorded = async () => {
    const dataSource = await connect(database.url);
    try {
      return await dataSource.query<{ name: string; checksum: string }[]>(
        `SELECT name, checksum FROM public.migration_checksums ORDER BY name`,
      );
    } finally {
      await dataSource.destroy();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    dir = writeMigrations([
      createTableMigration('CreateThings', 1700000000001, 'things'),
      createTableMigration('CreateOthers', 1700000000002, 'others'),
    ]);
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('records the SHA-256 of each file, line endings normalized to LF, when it is applied', async () => {
    const run = await runPendingMigrations(database.url, { migrationsDir: dir });

    expect(run.applied).toEqual([FIRST, SECOND]);
    expect(await recorded()).toEqual([
      { name: SECOND, checksum: checksumOf(fileOf(SECOND)) },
      { name: FIRST, checksum: checksumOf(fileOf(FIRST)) },
    ]);
    const crlf = join(dir, 'crlf.txt');
    writeFileSync(crlf, readFileSync(fileOf(FIRST), 'utf8').replaceAll('\n', '\r\n'));
    expect(checksumOf(crlf)).toBe(checksumOf(fileOf(FIRST)));
    rmSync(crlf);
  });

  it('refuses to run over a changed file, naming it, and records it when told to accept', async () => {
    appendFileSync(fileOf(FIRST), '// edited after it was applied\n');

    const refused = runPendingMigrations(database.url, { migrationsDir: dir });

    await expect(refused).rejects.toThrow(MigrationChecksumError);
    await expect(refused).rejects.toThrow(
      new RegExp(`^Applied migration ${FIRST} was changed after it was applied \\(`),
    );
    const accepted = await runPendingMigrations(database.url, {
      migrationsDir: dir,
      acceptChangedChecksums: true,
    });
    expect(accepted.checksums).toEqual({ problems: [], recorded: [], accepted: [FIRST] });
    await expect(runPendingMigrations(database.url, { migrationsDir: dir })).resolves.toEqual({
      applied: [],
      checksums: { problems: [], recorded: [], accepted: [] },
    });
  });

  it('records the checksums of migrations applied before checksums existed', async () => {
    const dataSource = await connect(database.url);
    await dataSource.query(`DELETE FROM public.migration_checksums`);
    await dataSource.destroy();

    const run = await runPendingMigrations(database.url, { migrationsDir: dir });

    expect(run.checksums.recorded).toEqual([FIRST, SECOND]);
    expect((await recorded()).map((row) => row.name)).toEqual([SECOND, FIRST]);
  });

  it('refuses to run when the file of an applied migration is gone', async () => {
    rmSync(fileOf(SECOND));

    await expect(runPendingMigrations(database.url, { migrationsDir: dir })).rejects.toThrow(
      `Applied migration ${SECOND} has no file`,
    );
  });

  it('npm start refuses a changed applied migration unless MIGRATION_ACCEPT_CHANGED_CHECKSUMS=true', async () => {
    const migrated = await createTestDatabase();
    try {
      const dataSource = await connect(migrated.url);
      const name = 'InitialAuthSchema1795332300934';
      await dataSource.query(
        `UPDATE public.migration_checksums SET checksum = repeat('0', 64) WHERE name = $1`,
        [name],
      );
      await dataSource.destroy();
      const env = { DATABASE_URL: migrated.url, PORT: String(await freePort()) };

      const refused = await runMain(env);

      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(
          `^MigrationChecksumError: Applied migration ${name} was changed after it was applied`,
        ),
      );
      const app = await startMain({ ...env, MIGRATION_ACCEPT_CHANGED_CHECKSUMS: 'true' });
      await stopProcess(app);
      await expect(runPendingMigrations(migrated.url)).resolves.toMatchObject({ applied: [] });
    } finally {
      await migrated.drop();
    }
  });
});
