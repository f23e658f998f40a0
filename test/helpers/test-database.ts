import {
  createScratchDatabase,
  type ScratchDatabase,
} from '../../src/migration-tools/scratch-database';

/**
 * Names the test run passes from the global setup to the workers, through the environment: the
 * URL that creates, clones and drops databases on the server directly, the URL whose host and
 * port the suites connect to (`DATABASE_URL`'s: a pooler such as PgBouncer, or the server), and
 * the template. `TEST_DATABASE_ADMIN_URL` may also be set before the run, beside a `DATABASE_URL`
 * that names a pooler: cloning needs nobody connected to the template, and a pooler keeps its
 * server connections open.
 */
export const ADMIN_URL_VAR = 'TEST_DATABASE_ADMIN_URL';
export const APP_URL_VAR = 'TEST_DATABASE_APP_URL';
export const TEMPLATE_VAR = 'TEST_TEMPLATE_DATABASE';

/** A database of its own for one test suite. */
export type TestDatabase = ScratchDatabase;

/**
 * Creates a database for one suite, cloned (`CREATE DATABASE ... TEMPLATE`) from the template
 * that the global setup migrated, or empty (from `template0`) with `{ empty: true }`; its `url`
 * goes through `DATABASE_URL`'s host and port.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const template = requiredEnv(TEMPLATE_VAR);
  const database = await createScratchDatabase(
    requiredEnv(ADMIN_URL_VAR),
    template,
    options.empty ? 'template0' : template,
  );
  const url = new URL(requiredEnv(APP_URL_VAR));
  url.pathname = `/${database.name}`;
  return { ...database, url: url.toString() };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with npm test`);
  return value;
}
