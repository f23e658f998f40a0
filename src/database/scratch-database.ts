import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A throw-away empty database on the same server as another. */
export interface ScratchDatabase {
  url: string;
  /** Drops the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database (from `template0`) named `scratch_<random>` on the server of `url`.
 * The user of `url` needs the CREATEDB privilege.
 *
 * @param url a PostgreSQL URL; its database is used only to run CREATE and DROP DATABASE.
 */
export async function createScratchDatabase(url: string): Promise<ScratchDatabase> {
  const name = `scratch_${randomBytes(6).toString('hex')}`;
  await runStatement(url, `CREATE DATABASE "${name}" TEMPLATE template0`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: () => runStatement(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
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
