import { randomBytes } from 'node:crypto';
import { runPendingMigrations } from '../../src/migration-tools/migrator';
import { runStatement } from '../../src/migration-tools/scratch-database';
import { ADMIN_URL_VAR, APP_URL_VAR, TEMPLATE_VAR } from './test-database';
import { openTestServer } from './test-server';

/**
 * Before all suites: opens the test server and builds the template database with every
 * migration applied, which each suite clones (both on `TEST_DATABASE_ADMIN_URL` when it is set
 * beside `DATABASE_URL`, see `test-database.ts`). What it sets in `process.env` reaches the workers.
 */
export default async function globalSetup(): Promise<void> {
  const server = await openTestServer();
  // A direct URL given beside a DATABASE_URL that names a pooler; else the server's own.
  const adminUrl = (process.env.DATABASE_URL && process.env[ADMIN_URL_VAR]) || server.url;
  const template = `test_${process.pid}_${randomBytes(3).toString('hex')}`;
  await runStatement(adminUrl, `CREATE DATABASE "${template}"`);
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  await runPendingMigrations(templateUrl.toString());

  process.env[ADMIN_URL_VAR] = adminUrl;
  process.env[APP_URL_VAR] = server.url;
  process.env[TEMPLATE_VAR] = template;
  (globalThis as { testServer?: unknown }).testServer = server;
}
