import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { type DatabaseServer, externalServer } from '../../src/database/database-server';

/**
 * The server the tests use: the one DATABASE_URL names, or a throw-away embedded PostgreSQL
 * in a temporary folder on a free port (never the one `npm start` uses), whose `stop()` also
 * deletes that folder (a cluster is about 40 MB).
 */
export async function openTestServer(): Promise<DatabaseServer> {
  if (process.env.DATABASE_URL) return externalServer(process.env.DATABASE_URL);
  const dir = mkdtempSync(join(tmpdir(), 'nest-auth-db-test-'));
  // As root the server runs as the user postgres, which must be able to enter the folder.
  chmodSync(dir, 0o755);
  try {
    const server = await startEmbeddedPostgres({
      dir,
      port: await freePort(),
      database: 'postgres',
    });
    return {
      ...server,
      stop: async () => {
        try {
          await server.stop();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
