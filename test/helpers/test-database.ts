import { createScratchDatabase, type ScratchDatabase } from '../../src/database/scratch-database';

/** Names the test run passes from the global setup to the workers, through the environment. */
export const ADMIN_URL_VAR = 'TEST_DATABASE_ADMIN_URL';
export const TEMPLATE_VAR = 'TEST_TEMPLATE_DATABASE';

/** A database of its own for one test suite. */
export type TestDatabase = ScratchDatabase;

/**
 * Creates a database for one suite, cloned (`CREATE DATABASE ... TEMPLATE`) from the template
 * that the global setup migrated, or empty (from `template0`) with `{ empty: true }`.
 */
export function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const template = requiredEnv(TEMPLATE_VAR);
  return createScratchDatabase(
    requiredEnv(ADMIN_URL_VAR),
    template,
    options.empty ? 'template0' : template,
  );
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with npm test`);
  return value;
}
