import { randomBytes } from 'node:crypto';
import { runStatement } from '../../src/database/scratch-database';

/** Names the test run passes from the global setup to the workers, through the environment. */
export const ADMIN_URL_VAR = 'TEST_DATABASE_ADMIN_URL';
export const TEMPLATE_VAR = 'TEST_TEMPLATE_DATABASE';

/** A database of its own for one test suite. */
export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

/**
 * Creates a database for one suite, cloned (`CREATE DATABASE ... TEMPLATE`) from the template
 * that the global setup migrated, or empty (from `template0`) with `{ empty: true }`.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = requiredEnv(ADMIN_URL_VAR);
  const template = options.empty ? 'template0' : requiredEnv(TEMPLATE_VAR);
  const name = `${requiredEnv(TEMPLATE_VAR)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Runs one statement on the server's maintenance connection (`DATABASE_URL` or the embedded one). */
export const adminQuery = runStatement;

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with npm test`);
  return value;
}
