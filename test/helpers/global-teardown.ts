import type { PostgresTarget } from '../../src/embedded-postgres/postgres-target';
import { runStatement } from '../../src/migration-tools/scratch-database';
import { ADMIN_URL_VAR, TEMPLATE_VAR } from './test-database';

/** After all suites: drops the template (suites drop their own copies) and stops the server. */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { testServer?: PostgresTarget }).testServer;
  const adminUrl = process.env[ADMIN_URL_VAR];
  const template = process.env[TEMPLATE_VAR];
  if (adminUrl && template) {
    await runStatement(adminUrl, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  }
  await server?.stop();
}
