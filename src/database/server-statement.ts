import { Client } from 'pg';

/**
 * Runs one statement on its own connection, for what cannot run inside a DataSource's pool or a
 * transaction (`CREATE DATABASE`, `DROP DATABASE`).
 *
 * @param url a connection URL of any database on the server.
 * @throws the server's error when the connection or the statement fails.
 */
export async function runOnServer(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
