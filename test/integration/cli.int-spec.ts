import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { freePort } from '../helpers/test-server';
import { tempDir, typeormCli } from '../helpers/processes';

describe('npm run typeorm', () => {
  describe('without DATABASE_URL (the embedded server of npm start)', () => {
    let dir: string;
    let env: Record<string, string>;

    beforeAll(async () => {
      dir = tempDir('nest-auth-db-cli-');
      env = { EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(await freePort()) };
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('shows, runs, reverts and runs again, each command starting and stopping the server', async () => {
      const steps: [string, RegExp][] = [
        ['migration:show', /\[ \] InitialAuthSchema\d+/],
        ['migration:run', /Migration InitialAuthSchema\d+ has been executed successfully/],
        ['migration:show', /\[X\] \d+ InitialAuthSchema\d+/],
        ['migration:revert', /Migration \w+\d{13} has been reverted successfully/],
        ['migration:show', /\[X\] \d+ InitialAuthSchema\d+\n(.*\n)*\[ \] \w+\d{13}\s*$/],
        ['migration:run', /Migration \w+\d{13} has been executed successfully/],
      ];
      for (const [command, expected] of steps) {
        const result = await typeormCli([command], env);

        expect({ command, code: result.code }).toEqual({ command, code: 0 });
        expect(result.stdout).toMatch(expected);
      }
    });

    it('migration:generate --check finds no difference after migration:run', async () => {
      // Run here too (a no-op after the test above), so that this test also runs alone.
      const run = await typeormCli(['migration:run'], env);
      const result = await typeormCli(['migration:generate', '--check', 'migrations/Unused'], env);

      expect(run.code).toBe(0);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('No changes in database schema were found');
    });
  });

  it('migration:create writes an empty migration class, needing no database', async () => {
    const dir = tempDir('nest-auth-db-create-');
    try {
      const result = await typeormCli(['migration:create', `${dir}/AddThings`], {
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      });

      expect(result.code).toBe(0);
      const [file] = readdirSync(dir);
      expect(file).toMatch(/^\d{13}-AddThings\.ts$/);
      expect(readFileSync(join(dir, file!), 'utf8')).toMatch(
        /export class AddThings\d{13} implements MigrationInterface/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('with DATABASE_URL', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase({ empty: true });
    });

    afterAll(() => database?.drop());

    it('uses that server', async () => {
      const before = await typeormCli(['migration:show'], { DATABASE_URL: database.url });
      const run = await typeormCli(['migration:run'], { DATABASE_URL: database.url });
      const after = await typeormCli(['migration:show'], { DATABASE_URL: database.url });

      expect([before.code, run.code, after.code]).toEqual([0, 0, 0]);
      expect(before.stdout).toMatch(/\[ \] InitialAuthSchema\d+/);
      expect(after.stdout).toMatch(/\[X\] \d+ InitialAuthSchema\d+/);
    });

    it('migration:revert refuses under NODE_ENV=production without --force, and reverts with it', async () => {
      const migrated = await createTestDatabase();
      try {
        const env = { DATABASE_URL: migrated.url, NODE_ENV: 'production' };

        const refused = await typeormCli(['migration:revert'], env);
        const forced = await typeormCli(['migration:revert', '--force'], env);
        const show = await typeormCli(['migration:show'], env);

        expect(refused.code).toBe(1);
        expect(refused.stderr).toBe(
          'Refusing to revert migrations with NODE_ENV=production: take a backup, then add --force\n',
        );
        expect(forced.code).toBe(0);
        expect(forced.stdout).toMatch(/Migration \w+\d{13} has been reverted successfully/);
        expect(show.stdout).toMatch(/\[ \] \w+\d{13}\s*$/);
      } finally {
        await migrated.drop();
      }
    });

    it('migration:generate --check exits 1 when the database lacks what the entities declare', async () => {
      const empty = await createTestDatabase({ empty: true });
      try {
        const result = await typeormCli(['migration:generate', '--check', 'migrations/Unused'], {
          DATABASE_URL: empty.url,
        });

        expect(result.code).toBe(1);
        expect(result.stdout + result.stderr).toMatch(/Unexpected changes in database schema/);
      } finally {
        await empty.drop();
      }
    });

    it('refuses a malformed DATABASE_URL with one line naming it', async () => {
      const result = await typeormCli(['migration:show'], { DATABASE_URL: 'http://nope' });

      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database',
      );
    });
  });
});
