import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/embedded-postgres/embedded-postgres';
import { type PostgresTarget, externalPostgres } from '../../src/embedded-postgres/postgres-target';

/**
 * The server the tests use: the one DATABASE_URL names, or a throw-away embedded PostgreSQL
 * in a temporary folder on a free port (never the one `npm start` uses), whose `stop()` also
 * deletes that folder (a cluster is about 40 MB).
 */
export async function openTestServer(): Promise<PostgresTarget> {
  if (process.env.DATABASE_URL) return externalPostgres(process.env.DATABASE_URL);
  const dir = mkdtempSync(join(tmpdir(), 'nest-auth-db-test-'));
  // As root the server runs as the user postgres, which must be able to enter the folder.
  chmodSync(dir, 0o755);
  try {
    const server = await onFreePort((port) =>
      startEmbeddedPostgres({ dir, port, database: 'postgres' }),
    );
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

/** How a start fails when its port was taken: our own check, or PostgreSQL's bind error. */
const PORT_TAKEN = /is taken by another program|Address already in use/;
/** Starts tried on fresh ports before {@link onFreePort} gives up. */
const PORT_ATTEMPTS = 5;

/**
 * Runs `start` on a free port, and again on another one (up to 5 tries) when it fails because
 * another program took the port between {@link freePort} and the bind. PostgreSQL cannot bind
 * port 0, so this is how a helper gets a port for it.
 *
 * @throws whatever the last try threw, or the first failure that is not a taken port.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= PORT_ATTEMPTS || !PORT_TAKEN.test(message)) throw error;
    }
  }
}
