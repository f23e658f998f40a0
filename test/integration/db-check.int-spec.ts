import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../../src/database/data-source-options';
import { checkDatabase } from '../../src/migration-tools/database-check';
import { type Migrator, openMigrator } from '../../src/migration-tools/migrator';
import { writeMigrations } from '../helpers/migration-fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const BROKEN = 'NotesWithoutDown1899999999999';

describe(`${checkDatabase.name} (what npm run db:check runs)`, () => {
  let database: TestDatabase;
  let dir: string;
  let migrator: Migrator;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The project's migrations, already applied to the database, and one more whose down
    // forgets the table its up creates (up runs again cleanly, so only that is reported).
    dir = writeMigrations([
      {
        name: 'NotesWithoutDown',
        timestamp: 1899999999999,
        up: ['CREATE TABLE IF NOT EXISTS public.notes (id int)'],
        down: ['SELECT 1'],
      },
    ]);
    for (const file of readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.ts'))) {
      copyFileSync(join(MIGRATIONS_DIR, file), join(dir, file));
    }
    migrator = await openMigrator(database.url, { migrationsDir: dir });
  });

  afterAll(async () => {
    await migrator?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports an applied migration whose down does not restore the schema, and nothing else', async () => {
    expect((await migrator.run()).applied).toEqual([BROKEN]);

    expect(await checkDatabase(migrator)).toEqual([
      `Migration ${BROKEN}: down does not restore the schema: left over public.notes table; public.notes.id integer null default=-`,
    ]);
  });
});
