import { runPendingMigrations } from '../../src/migration-tools/migrator';

/**
 * `node -r ts-node/register/transpile-only test/conformance/migrate-database.ts <url>`: applies
 * this project's migrations to the database `<url>` names, as `npm start` does, and prints the
 * names of the migrations it applied. The Vitest global setup runs it in a child process (see
 * `global-setup.ts` for why).
 */
async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url) throw new Error('usage: migrate-database.ts <postgres-url>');
  const { applied } = await runPendingMigrations(url);
  console.log(`applied ${applied.length} migrations: ${applied.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
