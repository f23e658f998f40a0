import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStatement } from '../../src/migration-tools/scratch-database';
import {
  generatedDocs,
  readSchemaSnapshot,
  renderSchemaSql,
  SCHEMA_SQL_HEADER,
  UnsupportedSchemaObjectError,
} from '../../src/migration-tools/schema-snapshot';
import { npmRun, tempDir } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const DOCS = join(__dirname, '..', '..', 'docs');
const committed = (name: string) => readFileSync(join(DOCS, name), 'utf8');

describe('schema snapshot (npm run db:schema)', () => {
  let migrated: TestDatabase;

  beforeAll(async () => {
    migrated = await createTestDatabase();
  });

  afterAll(() => migrated?.drop());

  it('docs/schema.sql and the diagram in docs/SCHEMA.md are those of the migrated schema', async () => {
    const docs = generatedDocs(await readSchemaSnapshot(migrated.url), committed('SCHEMA.md'));

    for (const doc of docs)
      expect({ file: doc.name, content: committed(doc.name) }).toEqual({
        file: doc.name,
        content: doc.content,
      });
  });

  /** Runs `sql` in a fresh empty database, then `use` on it; drops it afterwards. */
  async function inEmptyDatabase(sql: string, use: (url: string) => Promise<void>) {
    const empty = await createTestDatabase({ empty: true });
    try {
      await runStatement(empty.url, sql);
      await use(empty.url);
    } finally {
      await empty.drop();
    }
  }

  it('docs/schema.sql loads into an empty database and reads back as itself', () =>
    inEmptyDatabase(committed('schema.sql'), async (url) => {
      const reread = SCHEMA_SQL_HEADER + renderSchemaSql(await readSchemaSnapshot(url));

      expect(reread).toEqual(committed('schema.sql'));
    }));

  it('refuses a schema that holds what it cannot render, rather than leaving it out', () =>
    inEmptyDatabase(`CREATE SCHEMA auth; CREATE VIEW auth.answers AS SELECT 42 AS answer`, (url) =>
      expect(readSchemaSnapshot(url)).rejects.toThrow(
        new UnsupportedSchemaObjectError(
          'The schema snapshot cannot render view auth.answers: extend src/migration-tools/schema-snapshot.ts',
        ),
      ),
    ));

  it('--check fails on a stale file; without it the file is rewritten', async () => {
    const dir = tempDir('nest-auth-db-schema-');
    try {
      copyFileSync(join(DOCS, 'SCHEMA.md'), join(dir, 'SCHEMA.md'));
      writeFileSync(join(dir, 'schema.sql'), committed('schema.sql').replace('NOT NULL', ''));
      const env = { DATABASE_URL: migrated.url };

      const stale = await npmRun('db:schema', ['--check', '--dir', dir], env);
      const write = await npmRun('db:schema', ['--dir', dir], env);
      const fresh = await npmRun('db:schema', ['--check', '--dir', dir], env);

      expect(stale).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('Stale: schema.sql'),
      });
      expect(write).toMatchObject({ code: 0, stdout: 'Wrote schema.sql\n' });
      expect(fresh.code).toBe(0);
      expect(readFileSync(join(dir, 'schema.sql'), 'utf8')).toEqual(committed('schema.sql'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
