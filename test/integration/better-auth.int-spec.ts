import { ConfigService } from '@nestjs/config';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { validateEnvironment } from '../../src/config/environment';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { SessionsRepository } from '../../src/sessions/sessions.repository';
import { SessionsService } from '../../src/sessions/sessions.service';
import { UsersRepository } from '../../src/users/users.repository';
import { startScript, stopProcess } from '../helpers/processes';
import { runStatement } from '../../src/database/scratch-database';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

/** What test/helpers/better-auth-server.ts prints once it listens. */
interface BetterAuthServer {
  port: number;
  toBeCreated: string[];
  toBeAdded: string[];
}

interface AuthBody {
  token: string;
  user: { id: string; email: string; name: string; emailVerified: boolean };
}

interface SessionBody {
  session: { id: string; userId: string; token: string; expiresAt: string };
  user: { id: string; email: string };
}

/** Starts test/helpers/better-auth-server.ts on the database and waits for its JSON line. */
async function startBetterAuth(url: string) {
  const { child, match } = await startScript(
    'test/helpers/better-auth-server.ts',
    { DATABASE_URL: url, BETTER_AUTH_SECRET: randomBytes(32).toString('hex') },
    /^\{"port".*\}$/m,
  );
  return { child, server: JSON.parse(match[0]) as BetterAuthServer };
}

/**
 * Better Auth 1.7, configured as docs/BETTER-AUTH.md shows, against the migrated schema: it runs
 * in a child process (it is ES modules only) and the spec drives it over HTTP, then reads what it
 * wrote through this project's repositories and services.
 */
describe('Better Auth on this schema', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let child: ChildProcess;
  let server: BetterAuthServer;
  let users: UsersRepository;
  let sessions: SessionsService;

  const call = async <T>(path: string, init: { body?: unknown; token?: string } = {}) => {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/auth${path}`, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    users = new UsersRepository(dataSource);
    sessions = new SessionsService(
      new SessionsRepository(dataSource),
      new ConfigService(validateEnvironment({ SESSION_TTL_SECONDS: '3600' })),
    );
    ({ child, server } = await startBetterAuth(database.url));
  });

  afterAll(async () => {
    if (child) await stopProcess(child);
    await dataSource?.destroy();
    await database?.drop();
  });

  it("finds nothing to create or add in the schema (Better Auth's getMigrations)", () => {
    expect(server.toBeCreated).toEqual([]);
    expect(server.toBeAdded).toEqual([]);
  });

  it('getMigrations notices a missing table and a missing column', async () => {
    const broken = await createTestDatabase();
    let other: ChildProcess | undefined;
    try {
      await runStatement(
        broken.url,
        `ALTER TABLE auth.users DROP COLUMN image; ALTER TABLE auth.verifications RENAME TO old`,
      );
      const started = await startBetterAuth(broken.url);
      other = started.child;

      expect(started.server).toMatchObject({
        toBeCreated: ['verifications'],
        toBeAdded: ['users.image'],
      });
    } finally {
      if (other) await stopProcess(other);
      await broken.drop();
    }
  });

  it('signs up with email and password; the user is read back through UsersRepository', async () => {
    const signUp = await call<AuthBody>('/sign-up/email', {
      body: { email: 'Ada@Example.com', password: 'correct horse battery', name: 'Ada Lovelace' },
    });

    expect(signUp.status).toBe(200);
    expect(signUp.body.token).toMatch(/^[A-Za-z0-9]{32}$/);
    const user = await users.findOneByEmail('ada@example.com');
    expect(user).toMatchObject({
      id: signUp.body.user.id,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      emailVerified: false,
      image: null,
    });
    const accounts = await dataSource.query<Record<string, unknown>[]>(
      `SELECT account_id, provider_id, password FROM auth.accounts WHERE user_id = $1`,
      [user!.id],
    );
    expect(accounts).toEqual([
      {
        account_id: user!.id,
        provider_id: 'credential',
        password: expect.stringMatching(/^[0-9a-f]{32}:[0-9a-f]{128}$/),
      },
    ]);
  });

  it('signs in and gets the session; SessionsService accepts the session Better Auth created', async () => {
    const signIn = await call<AuthBody>('/sign-in/email', {
      body: { email: 'ada@example.com', password: 'correct horse battery' },
    });
    const current = await call<SessionBody>('/get-session', { token: signIn.body.token });

    expect(signIn.status).toBe(200);
    expect(current.status).toBe(200);
    expect(current.body.user.email).toBe('ada@example.com');
    const session = await sessions.validate(signIn.body.token);
    expect(session).toMatchObject({
      id: current.body.session.id,
      userId: signIn.body.user.id,
      user: { email: 'ada@example.com' },
    });
  });

  it('refuses a wrong password', async () => {
    const signIn = await call<{ code: string }>('/sign-in/email', {
      body: { email: 'ada@example.com', password: 'wrong horse battery' },
    });

    expect(signIn.status).toBe(401);
    expect(signIn.body.code).toBe('INVALID_EMAIL_OR_PASSWORD');
  });

  it('accepts a session that SessionsService created, until SessionsService revokes it', async () => {
    const user = await users.findOneByEmail('ada@example.com');
    const ours = await sessions.create(user!.id, { userAgent: 'jest' });

    const current = await call<SessionBody>('/get-session', { token: ours.token });
    await sessions.revoke(ours.id);
    const revoked = await call<SessionBody | null>('/get-session', { token: ours.token });

    expect(current.status).toBe(200);
    expect(current.body.session).toMatchObject({ id: ours.id, userId: user!.id });
    expect(current.body.user.email).toBe('ada@example.com');
    expect(revoked).toEqual({ status: 200, body: null });
  });

  it('signs out: Better Auth deletes the session, and SessionsService no longer finds it', async () => {
    const signIn = await call<AuthBody>('/sign-in/email', {
      body: { email: 'ada@example.com', password: 'correct horse battery' },
    });
    expect(await sessions.validate(signIn.body.token)).not.toBeNull();

    const signOut = await call<{ success: boolean }>('/sign-out', {
      body: {},
      token: signIn.body.token,
    });

    expect(signOut).toEqual({ status: 200, body: { success: true } });
    expect(await sessions.validate(signIn.body.token)).toBeNull();
  });
});
