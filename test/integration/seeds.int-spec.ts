import { rmSync } from 'node:fs';
import { DataSource, QueryFailedError } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { postgresPool } from '../../src/database/postgres-pool';
import { SeedError, SeedRunner } from '../../src/migration-tools/seeds/seed-runner';
import { newCategory, newLocation } from '../helpers/factories';
import { seedCli, tempDir, typeormCli } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { freePort } from '../helpers/test-server';

const LOCATIONS = /^Locations\d{13}$/;
const CATEGORIES = /^Categories\d{13}$/;
const DEMO = /^DemoData\d{13}$/;

/** A digest of every row of the seeded tables, to tell "changed nothing" exactly. */
const SNAPSHOT = `SELECT
  (SELECT count(*) FROM master.locations)::int AS locations,
  (SELECT count(*) FROM master.categories)::int AS categories,
  (SELECT count(*) FROM auth.users)::int AS users,
  (SELECT count(*) FROM app.items)::int AS items,
  (SELECT md5(string_agg(l::text, ',' ORDER BY l.code)) FROM master.locations l) AS locations_md5,
  (SELECT md5(string_agg(c::text, ',' ORDER BY c.slug)) FROM master.categories c) AS categories_md5,
  (SELECT md5(string_agg(u::text, ',' ORDER BY u.email)) FROM auth.users u) AS users_md5,
  (SELECT md5(string_agg(i::text, ',' ORDER BY i.id)) FROM app.items i) AS items_md5`;

describe('seeds', () => {
  describe(SeedRunner.name, () => {
    let database: TestDatabase;
    let dataSource: DataSource;
    let sut: SeedRunner;
    const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      dataSource.query<T[]>(sql, params);
    const snapshot = async () => (await rows(SNAPSHOT))[0];

    beforeEach(async () => {
      database = await createTestDatabase();
      dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
      sut = new SeedRunner(dataSource);
    });

    afterEach(async () => {
      await dataSource?.destroy();
      await database?.drop();
    });

    it('applies the reference data, oldest first, and leaves the demo data out by default', async () => {
      const applied = await sut.run();

      expect(applied).toEqual([
        { name: expect.stringMatching(LOCATIONS), rows: 249 + 4030 },
        { name: expect.stringMatching(CATEGORIES), rows: 21 },
      ]);
      expect(await snapshot()).toMatchObject({ locations: 4279, categories: 21, users: 0 });
    });

    it('inserts every ISO 3166-1 country and its first-level ISO 3166-2 subdivisions', async () => {
      await sut.run();

      const [counts] = await rows(
        `SELECT count(*) FILTER (WHERE parent_id IS NULL)::int AS countries,
                count(*) FILTER (WHERE parent_id IS NOT NULL)::int AS subdivisions
           FROM master.locations`,
      );
      expect(counts).toEqual({ countries: 249, subdivisions: 4030 });
      expect(
        await rows(
          `SELECT l.code, l.name, p.code AS country FROM master.locations l
             LEFT JOIN master.locations p ON p.id = l.parent_id
            WHERE l.code IN ('US', 'US-CA', 'FR-IDF', 'DE-BY') ORDER BY l.code`,
        ),
      ).toEqual([
        { code: 'DE-BY', name: 'Bayern', country: 'DE' },
        { code: 'FR-IDF', name: '\u00cele-de-France', country: 'FR' },
        { code: 'US', name: 'United States of America', country: null },
        { code: 'US-CA', name: 'California', country: 'US' },
      ]);
      const [mismatched] = await rows(
        `SELECT count(*)::int AS n FROM master.locations l JOIN master.locations p
             ON p.id = l.parent_id WHERE left(l.code, 2) <> p.code`,
      );
      expect(mismatched).toEqual({ n: 0 });
    });

    it('inserts a category tree of 5 top-level categories and 16 subcategories', async () => {
      await sut.run();

      expect(
        await rows(
          `SELECT p.slug AS parent, string_agg(c.slug, ' ' ORDER BY c.sort_order) AS children
             FROM master.categories c JOIN master.categories p ON p.id = c.parent_id
            GROUP BY p.slug, p.sort_order ORDER BY p.sort_order`,
        ),
      ).toEqual([
        { parent: 'electronics', children: 'phones computers cameras audio' },
        { parent: 'home-garden', children: 'furniture kitchen garden' },
        { parent: 'fashion', children: 'clothing shoes accessories' },
        { parent: 'vehicles', children: 'cars motorcycles bicycles' },
        { parent: 'leisure', children: 'books sports toys-games' },
      ]);
    });

    it('changes nothing when run again', async () => {
      await sut.run();
      const before = await snapshot();

      expect(await sut.run()).toEqual([]);
      expect(await snapshot()).toEqual(before);
      // Every connection the runs took is back in the pool.
      const pool = postgresPool(dataSource);
      expect(pool.idleCount).toBe(pool.totalCount);
    });

    it('changes nothing and records no keys when the data is there but the history is not', async () => {
      await sut.run();
      const before = await snapshot();
      await rows(`DELETE FROM public.seed_history`);

      expect(await sut.run()).toEqual([
        { name: expect.stringMatching(LOCATIONS), rows: 0 },
        { name: expect.stringMatching(CATEGORIES), rows: 0 },
      ]);
      expect(await snapshot()).toEqual(before);
      // What was there before the seed ran is not the seed's to delete.
      expect(await sut.revertLast()).toEqual({ name: expect.stringMatching(CATEGORIES), rows: 0 });
      expect(await snapshot()).toEqual(before);
    });

    it('lists the seeds with when they were applied', async () => {
      const pending = await sut.show();
      await sut.run();
      const applied = await sut.show();

      expect(pending).toEqual([
        { name: expect.stringMatching(LOCATIONS), demo: false, runAt: null },
        { name: expect.stringMatching(CATEGORIES), demo: false, runAt: null },
        { name: expect.stringMatching(DEMO), demo: true, runAt: null },
      ]);
      expect(applied).toEqual([
        { name: expect.stringMatching(LOCATIONS), demo: false, runAt: expect.any(Date) },
        { name: expect.stringMatching(CATEGORIES), demo: false, runAt: expect.any(Date) },
        { name: expect.stringMatching(DEMO), demo: true, runAt: null },
      ]);
    });

    it('reverts exactly the rows the seeds inserted, keeping rows that users added', async () => {
      const empty = await snapshot();
      // There before the seed: the seed skips it, so it is not the seed's to delete.
      await newLocation(dataSource, 'FR', { name: 'France (mine)' });
      await sut.run();
      // Added after the seed, in the seeded tables.
      await newLocation(dataSource, 'XK', { name: 'Kosovo' });
      await newCategory(dataSource, { slug: 'collectibles', name: 'Mine' });
      const fr = await rows(`SELECT code, name FROM master.locations WHERE code LIKE 'FR%'`);

      expect(fr).toHaveLength(1 + 26);
      expect(await sut.revertLast()).toEqual({ name: expect.stringMatching(CATEGORIES), rows: 21 });
      expect(await rows(`SELECT slug FROM master.categories`)).toEqual([{ slug: 'collectibles' }]);
      // FR-* were inserted by the seed under the FR that was there: they go, FR stays.
      expect(await sut.revertLast()).toEqual({
        name: expect.stringMatching(LOCATIONS),
        rows: 248 + 4030,
      });
      expect(await rows(`SELECT code, name FROM master.locations ORDER BY code`)).toEqual([
        { code: 'FR', name: 'France (mine)' },
        { code: 'XK', name: 'Kosovo' },
      ]);
      expect(await sut.revertLast()).toBeNull();
      await rows(`DELETE FROM master.locations`);
      await rows(`DELETE FROM master.categories`);
      expect(await snapshot()).toEqual(empty);
    });

    it('refuses to revert a seed whose rows users still refer to, and changes nothing', async () => {
      await sut.run();
      const [electronics] = await rows<{ id: string }>(
        `SELECT id FROM master.categories WHERE slug = 'electronics'`,
      );
      await newCategory(dataSource, { slug: 'drones', name: 'Drones', parentId: electronics!.id });
      const before = await snapshot();

      const error = await sut.revertLast().catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(QueryFailedError);
      // ON DELETE RESTRICT: PostgreSQL 18 reports 23001 (restrict_violation), 15 reports 23503.
      expect((error as QueryFailedError).driverError).toMatchObject({
        code: expect.stringMatching(/^(23001|23503)$/),
        constraint: 'categories_parent_id_fkey',
      });
      expect(await snapshot()).toEqual(before);
      expect((await sut.show()).map((seed) => seed.runAt !== null)).toEqual([true, true, false]);
    });

    it('applies and reverts the demo data only when asked', async () => {
      await sut.run();

      const applied = await sut.run({ demo: true });

      expect(applied).toEqual([{ name: expect.stringMatching(DEMO), rows: 3 + 5 }]);
      expect(
        await rows(
          `SELECT u.email, c.slug AS category, l.code AS location, i.title, i.status::text
             FROM app.items i JOIN auth.users u ON u.id = i.user_id
             JOIN master.categories c ON c.id = i.category_id
             LEFT JOIN master.locations l ON l.id = i.location_id
            WHERE u.email = 'ada@example.com' ORDER BY i.title`,
        ),
      ).toEqual([
        {
          email: 'ada@example.com',
          category: 'computers',
          location: 'GB-ENG',
          title: 'Analytical engine, working order',
          status: 'published',
        },
        {
          email: 'ada@example.com',
          category: 'books',
          location: 'GB-ENG',
          title: 'Notes on the engine, first edition',
          status: 'draft',
        },
      ]);
      expect(await sut.revertLast()).toEqual({ name: expect.stringMatching(DEMO), rows: 8 });
      expect(await snapshot()).toMatchObject({ users: 0, items: 0, categories: 21 });
    });

    it('applies each seed once when two runners start together', async () => {
      const other = new SeedRunner(dataSource);

      const [first, second] = await Promise.all([sut.run(), other.run()]);

      expect([...first, ...second].map((seed) => seed.name).sort()).toEqual([
        expect.stringMatching(CATEGORIES),
        expect.stringMatching(LOCATIONS),
      ]);
      expect(await snapshot()).toMatchObject({ locations: 4279, categories: 21 });
    });

    it('refuses to revert a recorded seed that has no class, and changes nothing', async () => {
      await sut.run();
      await rows(
        `INSERT INTO public.seed_history ("timestamp", name, inserted_keys)
         VALUES (1700000000000, 'Gone1700000000000', '[]')`,
      );
      const before = await snapshot();

      const error = await sut.revertLast().catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(SeedError);
      expect((error as Error).message).toBe(
        'Seed Gone1700000000000 is recorded in public.seed_history but has no class in migrations/seeds/',
      );
      expect(await snapshot()).toEqual(before);
      expect(await rows(`SELECT name FROM public.seed_history ORDER BY id DESC LIMIT 1`)).toEqual([
        { name: 'Gone1700000000000' },
      ]);
    });

    it('refuses to run while migrations are pending', async () => {
      const empty = await createTestDatabase({ empty: true });
      const bare = await new DataSource(dataSourceOptions(empty.url)).initialize();
      try {
        const error = await new SeedRunner(bare).run().catch((caught: unknown) => caught);

        expect(error).toBeInstanceOf(SeedError);
        // The name heads the one line seed:run prints.
        expect(error).toMatchObject({
          name: 'SeedError',
          message: 'Migrations are pending: apply them first with npm run typeorm migration:run',
        });
      } finally {
        await bare.destroy();
        await empty.drop();
      }
    });
  });

  describe('npm run seed:*', () => {
    it('runs, shows and reverts on the server that DATABASE_URL names', async () => {
      const database = await createTestDatabase();
      const env = { DATABASE_URL: database.url };
      try {
        const run = await seedCli('run', [], env);
        const demo = await seedCli('run', ['--demo'], env);
        const again = await seedCli('run', ['--demo'], env);
        const show = await seedCli('show', [], env);
        const revert = await seedCli('revert', [], env);

        expect([run, demo, again, show, revert].map((result) => result.code)).toEqual([
          0, 0, 0, 0, 0,
        ]);
        expect(run.stdout).toMatch(
          /^Seed Locations\d{13} has been run: 4279 rows inserted\.\nSeed Categories\d{13} has been run: 21 rows inserted\.\n$/,
        );
        expect(demo.stdout).toMatch(/^Seed DemoData\d{13} has been run: 8 rows inserted\.\n$/);
        expect(again.stdout).toBe('No pending seeds.\n');
        expect(show.stdout).toMatch(
          /^\[X\] \S+Z Locations\d{13}\n\[X\] \S+Z Categories\d{13}\n\[X\] \S+Z DemoData\d{13} \(demo\)\n$/,
        );
        expect(revert.stdout).toMatch(
          /^Seed DemoData\d{13} has been reverted: 8 rows deleted\.\n$/,
        );
      } finally {
        await database.drop();
      }
    });

    it('without DATABASE_URL uses the embedded server, as npm run typeorm does', async () => {
      const dir = tempDir('nest-auth-db-seeds-');
      const env = { EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(await freePort()) };
      try {
        const migrate = await typeormCli(['migration:run'], env);
        const run = await seedCli('run', [], env);
        const show = await seedCli('show', [], env);

        expect([migrate.code, run.code, show.code]).toEqual([0, 0, 0]);
        expect(run.stdout).toMatch(/Seed Categories\d{13} has been run: 21 rows inserted\./);
        expect(show.stdout).toMatch(
          /^\[X\] \S+ Locations\d{13}\n\[X\] \S+ Categories\d{13}\n\[ \] DemoData\d{13} \(demo\)\n$/,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
