import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDataSource } from '../../src/migration-tools/migrator';
import { npmRun, tempDir } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { freePort } from '../helpers/test-server';

/** The migrations in migrations/, oldest first, named as TypeORM names them (class name). */
const MIGRATIONS = readdirSync(join(__dirname, '..', '..', 'migrations'))
  .map((file) => /^(\d{13})-(\w+)\.ts$/.exec(file))
  .filter((match) => match !== null)
  .map(([, timestamp, name]) => ({ name: `${name}${timestamp}`, timestamp: Number(timestamp) }))
  .sort((a, b) => a.timestamp - b.timestamp);
const COUNT = MIGRATIONS.length;
const SECOND = MIGRATIONS[1]!.name;
const LAST = MIGRATIONS[COUNT - 1]!.name;
const lines = (each: (name: string, index: number) => string) =>
  MIGRATIONS.map(({ name }, index) => `${each(name, index)}\n`).join('');

/** `npm run db:<command> -- <args>`, as docs/MIGRATIONS.md shows it. */
const db = (command: string, args: string[], env: Record<string, string | undefined>) =>
  npmRun(`db:${command}`, args, env);

describe('npm run db:*', () => {
  describe('on an empty database', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase({ empty: true });
    });

    afterAll(() => database?.drop());

    it('db:status lists the pending migrations and exits 1; --json says the same', async () => {
      const text = await db('status', [], { DATABASE_URL: database.url });
      const json = await db('status', ['--json'], { DATABASE_URL: database.url });

      expect(text.code).toBe(1);
      expect(text.stdout).toBe(`${lines((name) => `[ ] ${name}`)}0 applied, ${COUNT} pending\n`);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual({ applied: [], pending: MIGRATIONS });
    });

    it('db:check exits 1 with one line per pending migration', async () => {
      const result = await db('check', [], { DATABASE_URL: database.url });

      expect(result.code).toBe(1);
      expect(result.stdout).toBe(lines((name) => `Migration ${name} is pending`));
    });
  });

  describe('on a migrated database', () => {
    let database: TestDatabase;

    beforeEach(async () => {
      database = await createTestDatabase();
    });

    afterEach(() => database?.drop());

    it('db:status exits 0, db:check and db:lint find no problem', async () => {
      const env = { DATABASE_URL: database.url };
      const [status, check, lint] = await Promise.all([
        db('status', [], env),
        db('check', [], env),
        db('lint', [], env),
      ]);

      expect([status.code, check.code, lint.code]).toEqual([0, 0, 0]);
      expect(status.stdout).toBe(
        `${lines((name, index) => `[X] ${index + 1} ${name}`)}${COUNT} applied, 0 pending\n`,
      );
      expect(check.stdout).toBe('db:check found no problem\n');
      expect(lint.stdout.trim().split('\n').at(-1)).toBe('db:lint: 0 findings');
    });

    it('db:check names a changed migration and a difference between entities and database', async () => {
      const dataSource = await openDataSource(database.url);
      await dataSource.query(
        `UPDATE public.migration_checksums SET checksum = repeat('0', 64) WHERE name = $1`,
        [SECOND],
      );
      await dataSource.query(`ALTER TABLE auth.users DROP COLUMN image`);
      await dataSource.destroy();

      const result = await db('check', [], { DATABASE_URL: database.url });

      expect(result.code).toBe(1);
      expect(result.stdout.trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^Applied migration ${SECOND} was changed after it was applied \\(`),
        ),
        'Entities and database differ; migration:generate would write: ALTER TABLE "auth"."users" ADD "image" text',
      ]);
    });

    it('db:revert reverts under NODE_ENV=production with --force', async () => {
      // The refusal without --force happens before any connection: db-commands.spec.ts.
      const env = { DATABASE_URL: database.url, NODE_ENV: 'production' };

      const forced = await db('revert', ['--steps', '1', '--force'], env);

      expect(forced.code).toBe(0);
      expect(forced.stdout).toBe(`Reverted ${LAST}\n`);
    });

    it('db:revert --to a migration that is not applied exits 1 naming it', async () => {
      const result = await db('revert', ['--to', 'Nope1700000000000'], {
        DATABASE_URL: database.url,
      });

      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'MigrationRevertError: Migration Nope1700000000000 is not applied, so there is nothing to revert to: see npm run db:status\n',
      );
    });
  });

  it('refuses bad options with one line before connecting to any database', async () => {
    // One run through npm as the end-to-end proof; each command's options: db-commands.spec.ts.
    const result = await db('revert', ['--steps', '0'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });

    expect([result.code, result.stderr]).toEqual([
      1,
      'UsageError: --steps must be a positive integer\n',
    ]);
  });

  it('without DATABASE_URL uses the embedded server of npm start', async () => {
    const dir = tempDir('nest-auth-db-dbcli-');
    try {
      const result = await db('status', [], {
        EMBEDDED_PG_DIR: dir,
        EMBEDDED_PG_PORT: String(await freePort()),
      });

      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`0 applied, ${COUNT} pending`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
