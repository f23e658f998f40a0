import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../../src/database/data-source-options';
import { ACKNOWLEDGEMENTS_FILE, lintMigrations } from '../../src/migration-tools/migration-lint';
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
          'CREATE TABLE things (id bigint PRIMARY KEY, name text, note text, code text CONSTRAINT things_code_key UNIQUE)',
          'CREATE TABLE olds (id bigint)',
          // An index on a table made in the same transaction blocks nobody.
          'CREATE INDEX olds_id_idx ON olds (id)',
        ],
        down: ['DROP TABLE olds', 'DROP TABLE things'],
      },
      {
        name: 'Risky',
        timestamp: 1700000000002,
        comments: ['// squawk-ignore-file ban-drop-table: olds has been empty and unused since v2'],
        up: [
          'DROP TABLE olds',
          'ALTER TABLE things DROP COLUMN note',
          '-- squawk-ignore changing-column-type, prefer-text-field\nALTER TABLE things ALTER COLUMN name TYPE varchar(50)',
          'ALTER TABLE things DROP CONSTRAINT things_code_key',
          'CREATE INDEX things_name_idx ON things (name)',
        ],
        down: ['SELECT 1'],
      },
      {
        name: 'Concurrent',
        timestamp: 1700000000003,
        transaction: false,
        up: ['CREATE INDEX CONCURRENTLY IF NOT EXISTS things_code_idx ON things (code)'],
        down: ['DROP INDEX CONCURRENTLY things_code_idx'],
      },
    ]);
    writeFileSync(
      join(dir, ACKNOWLEDGEMENTS_FILE),
      JSON.stringify({ Risky1700000000002: { 'ban-drop-constraint': 'replaced in v3' } }),
    );
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server?.drop();
  });

  it('passes the migrations in migrations/, their acknowledgements applied', async () => {
    expect(await lintMigrations(server.url, MIGRATIONS_DIR)).toEqual([]);
  });

  it("reports what squawk finds in the SQL each up sends, less what the migration's comments and the acknowledgements file accept", async () => {
    const findings = await lintMigrations(server.url, dir);

    expect(findings.map(({ migration, rule, statement }) => [migration, rule, statement])).toEqual([
      ['Risky1700000000002', 'ban-drop-column', 'ALTER TABLE things DROP COLUMN note;'],
      [
        'Risky1700000000002',
        'require-concurrent-index-creation',
        'CREATE INDEX things_name_idx ON things (name);',
      ],
    ]);
  });
});
