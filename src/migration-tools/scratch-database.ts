import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A throw-away empty database on the same server as another. */
export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database, closing any connection still open on it. Idempotent. */
  drop(): Promise<void>;
}

/**
 * Creates a database named `<prefix>_<random>` on the server of `url`, empty (from `template0`) or
 * a copy of `template`. The user of `url` needs the CREATEDB privilege.
 *
 * @param url a PostgreSQL URL; its database is used only to run CREATE and DROP DATABASE.
 * @param prefix the start of the name, which says who made it (`scratch`, `bench`, a test run).
 * @param template the database to copy; nobody may be connected to it.
 * @throws the server's error when the database cannot be created.
 */
export async function createScratchDatabase(
  url: string,
  prefix = 'scratch',
  template = 'template0',
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await runStatement(url, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: scratch.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await runStatement(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Runs one statement on a connection of its own to `url`, such as CREATE or DROP DATABASE. */
export async function runStatement(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
