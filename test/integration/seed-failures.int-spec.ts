import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { SeedRunner } from '../../src/migration-tools/seeds/seed-runner';
import { newCategory } from '../helpers/factories';
import { seedCli } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

/** Makes every insert of a subdivision fail: the Locations seed fails after inserting countries. */
const FAIL_SUBDIVISIONS = `
  CREATE FUNCTION public.refuse_subdivision() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'subdivisions refused by the test'; END $$;
  CREATE TRIGGER refuse_subdivision BEFORE INSERT ON master.locations
    FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL) EXECUTE FUNCTION public.refuse_subdivision()`;
const ALLOW_SUBDIVISIONS = `DROP TRIGGER refuse_subdivision ON master.locations`;

/** The rows the seeds write, and the seeds recorded as applied. */
const COUNTS = `SELECT
  (SELECT count(*) FROM master.locations)::int AS locations,
  (SELECT count(*) FROM master.categories)::int AS categories,
  (SELECT count(*) FROM public.seed_history)::int AS history`;

describe('a failing seed', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const counts = async () => (await dataSource.query<Record<string, number>[]>(COUNTS))[0];

  beforeEach(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
  });

  afterEach(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('leaves no rows and no history, stops the run there, and runs cleanly once the cause is gone', async () => {
    await dataSource.query(FAIL_SUBDIVISIONS);

    await expect(new SeedRunner(dataSource).run()).rejects.toThrow(
      'subdivisions refused by the test',
    );

    expect(await counts()).toEqual({ locations: 0, categories: 0, history: 0 });
    await dataSource.query(ALLOW_SUBDIVISIONS);
    expect((await new SeedRunner(dataSource).run()).map((seed) => seed.rows)).toEqual([
      249 + 4030,
      21,
    ]);
  });

  it('npm run seed:run exits 1 with one line, and leaves no rows and no history', async () => {
    await dataSource.query(FAIL_SUBDIVISIONS);

    const run = await seedCli('run', [], { DATABASE_URL: database.url });

    expect([run.code, run.stderr]).toEqual([
      1,
      expect.stringMatching(/^QueryFailedError: subdivisions refused by the test\n$/),
    ]);
    expect(await counts()).toEqual({ locations: 0, categories: 0, history: 0 });
  });

  it('npm run seed:revert exits 1 with one line when the revert fails, and changes nothing', async () => {
    await new SeedRunner(dataSource).run();
    // A category of a user's under a seeded one: the Categories seed cannot delete its parent.
    const [electronics] = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM master.categories WHERE slug = 'electronics'`,
    );
    await newCategory(dataSource, { slug: 'drones', name: 'Drones', parentId: electronics!.id });
    const before = await counts();

    const revert = await seedCli('revert', [], { DATABASE_URL: database.url });

    expect([revert.code, revert.stdout]).toEqual([1, '']);
    expect(revert.stderr).toMatch(/^QueryFailedError: .*"categories_parent_id_fkey".*\n$/);
    expect(await counts()).toEqual(before);
    expect(before).toEqual({ locations: 4279, categories: 22, history: 2 });
  });
});
