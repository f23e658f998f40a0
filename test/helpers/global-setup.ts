import { randomBytes } from 'node:crypto';
import { runPendingMigrations } from '../../src/database/migrations-runner';
import { runStatement } from '../../src/database/scratch-database';
import { ADMIN_URL_VAR, TEMPLATE_VAR } from './test-database';
import { openTestServer } from './test-server';

/**
 * Before all suites: opens the test server and builds the template database with every
 * migration applied, which each suite clones. What it sets in `process.env` reaches the workers.
 */
export default async function globalSetup(): Promise<void> {
  const server = await openTestServer();
  const template = `test_${process.pid}_${randomBytes(3).toString('hex')}`;
  await runStatement(server.url, `CREATE DATABASE "${template}"`);
  const templateUrl = new URL(server.url);
  templateUrl.pathname = `/${template}`;
  await runPendingMigrations(templateUrl.toString());

  process.env[ADMIN_URL_VAR] = server.url;
  process.env[TEMPLATE_VAR] = template;
  (globalThis as { testServer?: unknown }).testServer = server;
}
