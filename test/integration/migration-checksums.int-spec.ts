import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationChecksumError } from '../../src/migration-tools/migration-checksums';
import {
  openDataSource,
  openMigrator,
  runPendingMigrations,
} from '../../src/migration-tools/migrator';
import { createTableMigration, writeMigrations } from '../helpers/migration-fixtures';
import { runMain, startMain, stopProcess } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const FIRST = 'CreateThings1700000000001';
const SECOND = 'CreateOthers1700000000002';

/** SHA-256 (hex) of a file's bytes with each CRLF turned into LF, as docs/MIGRATIONS.md says. */
const sha256WithLf = (path: string) =>
  createHash('sha256')
    .update(Buffer.from(readFileSync(path).toString('latin1').replaceAll('\r\n', '\n'), 'latin1'))
    .digest('hex');

describe('checksums of applied migrations', () => {
  let database: TestDatabase;
  let dir: string;
  const fileOf = (name: string) => join(dir, `${name.slice(-13)}-${name.slice(0, -13)}.ts`);
  const recorded = async () => {
    const dataSource = await openDataSource(database.url);
    try {
      return await dataSource.query<{ name: string; checksum: string }[]>(
        `SELECT name, checksum FROM public.migration_checksums ORDER BY name`,
      );
    } finally {
      await dataSource.destroy();
    }
  };
  const apply = () => runPendingMigrations(database.url, { migrationsDir: dir });

  // Each test starts from an empty database and two fixture migrations, the first one checked
  // out with Windows line endings, so that any test runs alone (npx jest -t).
  beforeEach(async () => {
    database = await createTestDatabase({ empty: true });
    dir = writeMigrations([
      createTableMigration('CreateThings', 1700000000001, 'things'),
      createTableMigration('CreateOthers', 1700000000002, 'others'),
    ]);
    writeFileSync(fileOf(FIRST), readFileSync(fileOf(FIRST), 'utf8').replaceAll('\n', '\r\n'));
  });

  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('records the SHA-256 of each file, line endings normalized to LF, when it is applied', async () => {
    const run = await apply();

    expect(run.applied).toEqual([FIRST, SECOND]);
    expect(await recorded()).toEqual([
      { name: SECOND, checksum: sha256WithLf(fileOf(SECOND)) },
      { name: FIRST, checksum: sha256WithLf(fileOf(FIRST)) },
    ]);
    // The CRLF file's checksum is not that of its raw bytes: the line endings were normalized.
    const raw = createHash('sha256')
      .update(readFileSync(fileOf(FIRST)))
      .digest('hex');
    expect(readFileSync(fileOf(FIRST), 'utf8')).toContain('\r\n');
    expect(sha256WithLf(fileOf(FIRST))).not.toBe(raw);
  });

  it('refuses to run over a changed file, naming it, and records it when told to accept', async () => {
    await apply();
    const before = sha256WithLf(fileOf(FIRST));
    appendFileSync(fileOf(FIRST), '// edited after it was applied\n');

    const refused = apply();

    await expect(refused).rejects.toThrow(MigrationChecksumError);
    await expect(refused).rejects.toMatchObject({ name: 'MigrationChecksumError' });
    await expect(refused).rejects.toThrow(
      `Applied migration ${FIRST} was changed after it was applied (${fileOf(FIRST)}: checksum ${sha256WithLf(fileOf(FIRST)).slice(0, 12)}, recorded ${before.slice(0, 12)})\nRestore the applied migrations' files, or see "Repairing a checksum mismatch" in docs/MIGRATIONS.md`,
    );
    const accepted = await runPendingMigrations(database.url, {
      migrationsDir: dir,
      acceptChangedChecksums: true,
    });
    expect(accepted.checksums).toEqual({ problems: [], recorded: [], accepted: [FIRST] });
    await expect(apply()).resolves.toEqual({
      applied: [],
      checksums: { problems: [], recorded: [], accepted: [] },
    });
  });

  it('records the checksums of migrations applied before checksums existed', async () => {
    await apply();
    const dataSource = await openDataSource(database.url);
    await dataSource.query(`DELETE FROM public.migration_checksums`);
    await dataSource.destroy();

    const run = await apply();

    expect(run.checksums.recorded).toEqual([FIRST, SECOND]);
    expect(await recorded()).toEqual([
      { name: SECOND, checksum: sha256WithLf(fileOf(SECOND)) },
      { name: FIRST, checksum: sha256WithLf(fileOf(FIRST)) },
    ]);
  });

  it('keeps the checksums of what --fake marks applied or reverted, as a real run would', async () => {
    const migrator = await openMigrator(database.url, { migrationsDir: dir });
    try {
      expect((await migrator.run({ fake: true })).applied).toEqual([FIRST, SECOND]);
      expect(await recorded()).toEqual([
        { name: SECOND, checksum: sha256WithLf(fileOf(SECOND)) },
        { name: FIRST, checksum: sha256WithLf(fileOf(FIRST)) },
      ]);

      expect(await migrator.undoLast({ fake: true })).toBe(SECOND);
      expect(await recorded()).toEqual([{ name: FIRST, checksum: sha256WithLf(fileOf(FIRST)) }]);
    } finally {
      await migrator.close();
    }
  });

  it('refuses to run when the file of an applied migration is gone', async () => {
    await apply();
    rmSync(fileOf(SECOND));

    const refused = await apply().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MigrationChecksumError);
    expect((refused as Error).message.split('\n')[0]).toBe(
      `Applied migration ${SECOND} has no file`,
    );
  });

  it('npm start refuses a changed applied migration unless MIGRATION_ACCEPT_CHANGED_CHECKSUMS=true', async () => {
    const migrated = await createTestDatabase();
    try {
      const dataSource = await openDataSource(migrated.url);
      const name = 'InitialAuthSchema1795332300934';
      await dataSource.query(
        `UPDATE public.migration_checksums SET checksum = repeat('0', 64) WHERE name = $1`,
        [name],
      );
      await dataSource.destroy();
      const env = { DATABASE_URL: migrated.url };

      const refused = await runMain(env);

      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(
          `^MigrationChecksumError: Applied migration ${name} was changed after it was applied`,
        ),
      );
      const app = await startMain({ ...env, MIGRATION_ACCEPT_CHANGED_CHECKSUMS: 'true' });
      await stopProcess(app.child);
      await expect(runPendingMigrations(migrated.url)).resolves.toMatchObject({ applied: [] });
    } finally {
      await migrated.drop();
    }
  });
});
