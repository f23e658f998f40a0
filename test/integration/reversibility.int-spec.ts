import { rmSync } from 'node:fs';
import { MIGRATIONS_DIR } from '../../src/database/data-source-options';
import { checkReversibility } from '../../src/migration-tools/reversibility';
import { writeMigrations } from '../helpers/migration-fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe(checkReversibility.name, () => {
  let server: TestDatabase;

  beforeAll(async () => {
    server = await createTestDatabase({ empty: true });
  });

  afterAll(() => server?.drop());

  it('proves every migration in migrations/ reversible: down restores the schema, up again rebuilds it', async () => {
    expect(await checkReversibility(server.url, MIGRATIONS_DIR)).toEqual([]);
  });

  it('names a migration whose down leaves something behind, and one whose down fails', async () => {
    const dir = writeMigrations([
      {
        name: 'LeavesFunction',
        timestamp: 1700000000001,
        up: [
          'CREATE TABLE things (id int)',
          'CREATE OR REPLACE FUNCTION things_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM things $$',
        ],
        down: ['DROP TABLE things CASCADE'],
      },
      {
        name: 'BrokenDown',
        timestamp: 1700000000002,
        up: ['CREATE TABLE others (id int)'],
        down: ['DROP TABLE missing'],
      },
    ]);
    try {
      expect(await checkReversibility(server.url, dir)).toEqual([
        'Migration LeavesFunction1700000000001: down does not restore the schema: left over public.things_count()',
        'Migration BrokenDown1700000000002: down failed on a scratch database: table "missing" does not exist',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
