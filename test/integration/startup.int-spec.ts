import { rmSync, statSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
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

  it('exits 1 with one line naming BETTER_AUTH_SECRET when NODE_ENV=production and it is unset', async () => {
    const result = await runMain({
      NODE_ENV: 'production',
      SMTP_URL: 'smtp://mail.example.com:587',
      DATABASE_URL: 'postgres://app@127.0.0.1:1/app',
    });

    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([
      'EnvironmentError: BETTER_AUTH_SECRET is required when NODE_ENV=production (32 characters or more)',
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

  it('exits 1 within DATABASE_CONNECT_TIMEOUT_SECONDS, with one line naming DATABASE_URL, when its server accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    let connectedAt = 0;
    const silent = createServer((socket) => {
      connectedAt ||= Date.now();
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const result = await runMain({
        DATABASE_URL: `postgres://app:secret@127.0.0.1:${port}/app`,
        DATABASE_CONNECT_TIMEOUT_SECONDS: '1',
      });

      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toEqual([
        `DatabaseConnectionError: Cannot connect to the PostgreSQL that DATABASE_URL names (127.0.0.1:${port}/app): no answer within 1 s (DATABASE_CONNECT_TIMEOUT_SECONDS)`,
      ]);
      expect(sockets.length).toBeGreaterThan(0);
      // From its first connection, not from the spawn: ts-node's start-up varies with the load.
      expect(Date.now() - connectedAt).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('without DATABASE_URL, starts an embedded PostgreSQL, migrates, serves, and keeps the data and the sessions across restarts', async () => {
    const dir = tempDir('nest-auth-db-start-');
    // The app listens on a port the system picks, so its public origin is set rather than derived.
    const publicUrl = 'http://localhost:3000';
    const env = { EMBEDDED_PG_DIR: join(dir, 'embedded-postgres'), BETTER_AUTH_URL: publicUrl };
    const credentials = { email: 'kept@example.com', password: 'correct horse battery staple' };
    // Node's fetch sends Sec-Fetch-Mode as a browser does, so Better Auth asks for a trusted Origin.
    const json = { 'content-type': 'application/json', origin: publicUrl };
    let app = await startMain(env);
    try {
      let base = app.base;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ ...credentials, name: 'Kept' }),
      });
      expect(signUp.status).toBe(200);
      const cookie = signUp.headers.getSetCookie()[0]!.split(';')[0]!;
      // The development secret is generated once, beside the data folder, readable by its owner only.
      expect(statSync(join(dir, 'better-auth-secret')).mode & 0o777).toBe(0o600);
      // A graceful stop: requests finished, the embedded server stopped, then status 0.
      expect(await stopProcess(app.child)).toBe(0);

      const database = new Client({
        connectionString: `postgres://postgres:postgres@127.0.0.1:${app.env.EMBEDDED_PG_PORT}/app`,
      });
      await expect(database.connect()).rejects.toThrow(/ECONNREFUSED/);

      app = await startMain(env);
      base = app.base;
      const current = await fetch(`${base}/sessions/current`, { headers: { cookie } });
      expect(current.status).toBe(200);
      expect(((await current.json()) as { user: { email: string } }).user.email).toBe(
        credentials.email,
      );
      const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify(credentials),
      });
      expect(signIn.status).toBe(200);
      expect(await stopProcess(app.child)).toBe(0);
    } finally {
      if (app.child.exitCode === null) await stopProcess(app.child);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
