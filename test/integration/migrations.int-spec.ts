import { hashSessionToken } from '../../src/auth/session-token-hash';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { MIGRATIONS_TABLE } from '../../src/database/data-source-options';
import { readCatalog } from '../../src/migration-tools/catalog';
import { type Migrator, openMigrator } from '../../src/migration-tools/migrator';
import {
  readSchemaSnapshot,
  renderSchemaSql,
  SCHEMA_SQL_HEADER,
} from '../../src/migration-tools/schema-snapshot';
import { newUser } from '../helpers/factories';
import { typeormCli } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

/** The schema the migrations make, as `npm run db:schema` wrote it (docs/SCHEMA.md). */
const SNAPSHOT = readFileSync(join(__dirname, '..', '..', 'docs', 'schema.sql'), 'utf8');

describe('migrations', () => {
  let database: TestDatabase;
  let migrator: Migrator;
  let dataSource: DataSource;
  const snapshot = async () =>
    SCHEMA_SQL_HEADER + renderSchemaSql(await readSchemaSnapshot(database.url));
  const userSchemas = async () => (await readCatalog(dataSource)).schemas;
  const history = async () =>
    (
      await dataSource.query<{ name: string }[]>(
        `SELECT name FROM public.${MIGRATIONS_TABLE} ORDER BY id`,
      )
    ).map((row) => row.name);
  const checksummed = async () =>
    (
      await dataSource.query<{ name: string }[]>(
        `SELECT name FROM public.migration_checksums ORDER BY name`,
      )
    ).map((row) => row.name);

  const up = async () => (await migrator.run({ transaction: 'each' })).applied;
  const downAll = async () => {
    while ((await history()).length > 0) await migrator.undoLast();
  };

  // Each test starts from an empty database, so that any test runs alone (npx jest -t).
  beforeEach(async () => {
    database = await createTestDatabase({ empty: true });
    migrator = await openMigrator(database.url);
    dataSource = migrator.dataSource;
  });

  afterEach(async () => {
    await migrator?.close();
    await database?.drop();
  });

  it('up on an empty database gives exactly docs/schema.sql', async () => {
    const applied = await up();

    expect(applied).toEqual(dataSource.migrations.map((migration) => migration.name));
    expect(await history()).toEqual(applied);
    expect(await snapshot()).toEqual(SNAPSHOT);
    expect(await checksummed()).toEqual([...(await history())].sort());
  });

  it('down, one migration at a time, leaves nothing but the empty history tables', async () => {
    await up();
    const bookkeeping = await readSchemaSnapshot(database.url, ['public']);

    await downAll();

    expect(await userSchemas()).toEqual(['public']);
    expect(await readSchemaSnapshot(database.url, ['public'])).toEqual(bookkeeping);
    expect(await checksummed()).toEqual([]);
  });

  it('up again after down gives docs/schema.sql again', async () => {
    await up();
    await downAll();

    await up();

    expect(await snapshot()).toEqual(SNAPSHOT);
  });

  it('leaves no difference between the entities and the database', async () => {
    await up();

    const pending = await dataSource.driver.createSchemaBuilder().log();

    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('migration:generate --check through the CLI finds no difference', async () => {
    await up();

    const { code, stdout } = await typeormCli(
      ['migration:generate', '--check', 'migrations/Unused'],
      { DATABASE_URL: database.url },
    );

    expect(code).toBe(0);
    expect(stdout).toContain('No changes in database schema were found');
  });
});

describe('HashSessionTokens1796100002000', () => {
  const NAME = 'HashSessionTokens1796100002000';
  let database: TestDatabase;
  let migrator: Migrator;
  let dataSource: DataSource;
  const applied = async () =>
    (await dataSource.query<{ name: string }[]>(`SELECT name FROM public.${MIGRATIONS_TABLE}`)).map(
      (row) => row.name,
    );
  const tokens = async () =>
    (
      await dataSource.query<{ token: string }[]>(`SELECT token FROM auth.sessions ORDER BY token`)
    ).map((row) => row.token);

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    migrator = await openMigrator(database.url);
    dataSource = migrator.dataSource;
    await migrator.run({ transaction: 'each' });
    while ((await applied()).includes(NAME)) await migrator.undoLast();
  });

  afterAll(async () => {
    await migrator?.close();
    await database?.drop();
  });

  it('up hashes the stored tokens in place as the app hashes them; down deletes every session', async () => {
    const alreadyHashed = hashSessionToken('written by the new code');
    const raw = ['VIZ42kubA8MYggb5iICQ7xlzpvQsdkI2', 'back\\slash-and-\u00e9'];
    const user = await newUser(dataSource, { email: 'hash@example.com' });
    for (const token of [...raw, alreadyHashed]) {
      await dataSource.query(
        `INSERT INTO auth.sessions (user_id, token, expires_at) VALUES ($1, $2, now() + interval '1 hour')`,
        [user.id, token],
      );
    }

    await migrator.run({ transaction: 'each' });

    expect(await tokens()).toEqual([...raw.map(hashSessionToken), alreadyHashed].sort());

    while ((await applied()).includes(NAME)) await migrator.undoLast();

    expect(await tokens()).toEqual([]);
    expect(await dataSource.query(`SELECT email FROM auth.users`)).toEqual([
      { email: 'hash@example.com' },
    ]);
  });
});
