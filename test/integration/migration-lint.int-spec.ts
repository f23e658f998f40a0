import { rmSync } from 'node:fs';
import { MIGRATIONS_DIR } from '../../src/database/data-source-options';
import { lintMigrations } from '../../src/migration-tools/migration-lint';
import { writeMigrations } from '../helpers/migration-fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe(lintMigrations.name, () => {
  let server: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    server = await createTestDatabase({ empty: true });
    dir = writeMigrations([
      {
        name: 'Base',
        timestamp: 1700000000001,
        up: [
          'CREATE TABLE things (id int PRIMARY KEY, name varchar(100), code varchar(20), note text, qty integer, label text, CONSTRAINT things_code_key UNIQUE (code))',
          'CREATE TABLE olds (id int)',
          // Indexes and drops on tables made by the same migration are not findings.
          'CREATE INDEX olds_id_idx ON olds (id)',
          'CREATE TABLE temps (id int)',
          'DROP TABLE temps',
        ],
        down: ['DROP TABLE olds', 'DROP TABLE things'],
      },
      {
        name: 'Risky',
        timestamp: 1700000000002,
        comments: ['// db-lint-accept drop-table: olds has been empty and unused since v2'],
        up: [
          'DROP TABLE IF EXISTS "public"."olds"',
          'ALTER TABLE things DROP COLUMN note',
          'ALTER TABLE "public"."things" ALTER COLUMN "name" TYPE varchar(50)',
          'ALTER TABLE things ALTER COLUMN qty TYPE bigint, ALTER COLUMN label TYPE text',
          'ALTER TABLE things ALTER COLUMN code SET NOT NULL',
          'ALTER TABLE things ALTER COLUMN qty SET DEFAULT 0, ALTER COLUMN qty SET NOT NULL',
          'ALTER TABLE things RENAME CONSTRAINT things_code_key TO things_code_uq',
          'ALTER TABLE things DROP CONSTRAINT things_code_uq',
          'CREATE INDEX things_name_idx ON things (name)',
          'CREATE TABLE fresh (id int)',
          'CREATE UNIQUE INDEX fresh_id_key ON fresh (id)',
        ],
        down: ['SELECT 1'],
      },
      {
        name: 'Concurrent',
        timestamp: 1700000000003,
        transaction: false,
        up: ['CREATE INDEX CONCURRENTLY things_qty_idx ON things (qty)'],
        down: ['DROP INDEX CONCURRENTLY things_qty_idx'],
      },
    ]);
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server?.drop();
  });

  it('passes the migrations in migrations/ with every finding acknowledged', async () => {
    const findings = await lintMigrations(server.url, MIGRATIONS_DIR);

    expect(findings.filter((finding) => !finding.acceptedBecause)).toEqual([]);
    expect(findings.map(({ migration, rule }) => `${migration} ${rule}`)).toEqual([
      'CaseInsensitiveEmailPhoneNumber1796019268365 drop-constraint',
      'CaseInsensitiveEmailPhoneNumber1796019268365 drop-constraint',
    ]);
  });

  it('flags each destructive change of an up on what existed before it, and reports acknowledged ones as accepted', async () => {
    const findings = await lintMigrations(server.url, dir);

    const risky = 'Risky1700000000002';
    expect(findings).toEqual([
      {
        migration: risky,
        rule: 'drop-table',
        message: 'drops table public.olds',
        acceptedBecause: 'olds has been empty and unused since v2',
      },
      { migration: risky, rule: 'drop-column', message: 'drops column public.things.note' },
      {
        migration: risky,
        rule: 'narrow-type',
        message:
          'changes the type of public.things.name from character varying(100) to varchar(50)',
      },
      {
        migration: risky,
        rule: 'set-not-null',
        message: 'sets NOT NULL on public.things.code, which has no default',
      },
      {
        migration: risky,
        rule: 'rename-constraint',
        message: 'renames constraint things_code_key of public.things to things_code_uq',
      },
      {
        migration: risky,
        rule: 'drop-constraint',
        message: 'drops constraint things_code_uq of public.things',
      },
      {
        migration: risky,
        rule: 'index-without-concurrently',
        message: 'builds index things_name_idx on public.things without CONCURRENTLY',
      },
    ]);
  });
});
