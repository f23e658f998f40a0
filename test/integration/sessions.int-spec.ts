import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test, type TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfigModule } from '../../src/config/app-config.module';
import { type AppConfig, DEFAULT_CONFIG } from '../../src/config/environment';
import { DatabaseModule } from '../../src/database/database.module';
import {
  EXPIRED_SESSIONS_CLEANUP,
  ExpiredSessionsScheduler,
} from '../../src/sessions/expired-sessions.scheduler';
import { SessionsModule } from '../../src/sessions/sessions.module';
import { SessionsRepository } from '../../src/sessions/sessions.repository';
import { SessionsService } from '../../src/sessions/sessions.service';
import { newSession, newSessions, newUser } from '../helpers/factories';
import { testConfig } from '../helpers/test-config';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { postgresPool } from '../../src/database/postgres-pool';

const TTL_SECONDS = 3600;
const UPDATE_AGE_SECONDS = 600;

/** SessionsModule with its configuration and scheduler, as the app wires it. */
async function sessionsContext(database: TestDatabase, env: Record<string, string> = {}) {
  const config = testConfig(database.url, {
    SESSION_TTL_SECONDS: String(TTL_SECONDS),
    SESSION_UPDATE_AGE_SECONDS: String(UPDATE_AGE_SECONDS),
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(config),
      ScheduleModule.forRoot(),
      DatabaseModule,
      SessionsModule,
    ],
  }).compile();
  moduleRef.useLogger(false);
  return moduleRef.init();
}

describe(SessionsService.name, () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let sut: SessionsService;
  let dataSource: DataSource;
  let userId: string;

  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    dataSource.query<T[]>(sql, params);
  /** Inserts `count` sessions of `user` expiring `expiresIn` from now; returns their ids. */
  const insertSessions = async (count: number, expiresIn: string, user = userId) =>
    (await newSessions(dataSource, user, count, { expiresIn })).map((session) => session.id);
  /** Seconds from the database's now() to the session's expires_at. */
  const secondsLeft = async (id: string) =>
    Number(
      (
        await query<{ left: string }>(
          `SELECT extract(epoch FROM expires_at - now()) AS left FROM auth.sessions WHERE id = $1`,
          [id],
        )
      )[0]!.left,
    );
  const sessionCount = async (where = 'true', params: unknown[] = []) =>
    Number(
      (
        await query<{ n: string }>(`SELECT count(*) AS n FROM auth.sessions WHERE ${where}`, params)
      )[0]!.n,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    moduleRef = await sessionsContext(database);
    sut = moduleRef.get(SessionsService);
    dataSource = moduleRef.get(DataSource);
    userId = (await newUser(dataSource, { email: 'lifecycle@example.com' })).id;
  });

  afterAll(async () => {
    await moduleRef?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    await query(`DELETE FROM auth.sessions`);
    // Built in each test from the module's parts, so that a mutation test sees which tests
    // depend on what the constructor reads (it attributes beforeAll's work to one test only).
    sut = new SessionsService(
      moduleRef.get(SessionsRepository),
      moduleRef.get<AppConfig>(APP_CONFIG),
    );
  });

  describe('validate', () => {
    it('answers the session with its user as entities, in one statement', async () => {
      const created = await newSession(dataSource, userId);
      const pool = postgresPool(dataSource);
      const spy = jest.spyOn(pool, 'query');

      try {
        const session = await sut.validate(created.token);

        expect(spy).toHaveBeenCalledTimes(1);
        expect(session).toMatchObject({
          id: created.id,
          userId,
          token: created.tokenHash,
          ipAddress: null,
          userAgent: null,
          user: { id: userId, email: 'lifecycle@example.com', name: 'Test', emailVerified: false },
        });
        expect(session!.expiresAt).toEqual(created.expiresAt);
        expect(session!.createdAt).toBeInstanceOf(Date);
        expect(session!.user!.createdAt).toBeInstanceOf(Date);
      } finally {
        spy.mockRestore();
      }
    });

    it('answers null for an unknown token and deletes nothing', async () => {
      await insertSessions(2, '1 hour');

      expect(await sut.validate('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
      expect(await sessionCount()).toBe(2);
    });

    it('rejects an expired session and removes it, leaving the others', async () => {
      const expired = await newSession(dataSource, userId);
      const other = await newSession(dataSource, userId);
      await query(
        `UPDATE auth.sessions SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [expired.id],
      );

      expect(await sut.validate(expired.token)).toBeNull();

      expect(await query(`SELECT id FROM auth.sessions`)).toEqual([{ id: other.id }]);
    });

    it('does not renew a session younger than SESSION_UPDATE_AGE_SECONDS', async () => {
      const created = await newSession(dataSource, userId);
      await query(
        `UPDATE auth.sessions SET expires_at = now() + make_interval(secs => $2) WHERE id = $1`,
        [created.id, TTL_SECONDS - UPDATE_AGE_SECONDS + 60],
      );

      const session = await sut.validate(created.token);

      expect(await secondsLeft(created.id)).toBeLessThanOrEqual(
        TTL_SECONDS - UPDATE_AGE_SECONDS + 60,
      );
      const [clock] = await query<{ now: Date }>('SELECT now() AS now');
      expect(session!.expiresAt.getTime()).toBeLessThan(
        clock!.now.getTime() + (TTL_SECONDS - 100) * 1000,
      );
    });

    it('renews a session used SESSION_UPDATE_AGE_SECONDS after its last renewal, once', async () => {
      const created = await newSession(dataSource, userId);
      await query(
        `UPDATE auth.sessions SET expires_at = now() + make_interval(secs => $2) WHERE id = $1`,
        [created.id, TTL_SECONDS - UPDATE_AGE_SECONDS - 1],
      );

      const renewed = await sut.validate(created.token);

      expect(await secondsLeft(created.id)).toBeGreaterThan(TTL_SECONDS - 60);
      const [row] = await query<{ expires_at: Date }>(
        `SELECT expires_at FROM auth.sessions WHERE id = $1`,
        [created.id],
      );
      expect(renewed!.expiresAt).toEqual(row!.expires_at);

      const again = await sut.validate(created.token);

      expect(again!.expiresAt).toEqual(row!.expires_at);
    });

    // The UPDATE that validate() runs for a due session, called directly so that its result shows.
    const renew = (id: string) =>
      moduleRef.get(SessionsRepository).renewIfDue(id, {
        ttlSeconds: TTL_SECONDS,
        updateAgeSeconds: UPDATE_AGE_SECONDS,
      });

    it('renews a due session only once when callers race', async () => {
      const created = await newSession(dataSource, userId);
      await query(
        `UPDATE auth.sessions SET expires_at = now() + interval '1 minute' WHERE id = $1`,
        [created.id],
      );

      const results = await Promise.all(Array.from({ length: 6 }, () => renew(created.id)));

      expect(results.filter((result) => result !== null)).toHaveLength(1);
      expect(await secondsLeft(created.id)).toBeGreaterThan(TTL_SECONDS - 60);
    });

    it('renews nothing that is expired or unknown', async () => {
      const [expired] = await insertSessions(1, '-1 second');

      expect(await renew(expired!)).toBeNull();
      expect(await renew('00000000-0000-4000-8000-000000000000')).toBeNull();
      expect(await secondsLeft(expired!)).toBeLessThan(0);
    });
  });

  describe('validate: every field of the session and its user', () => {
    it('maps each column of the lookup to its entity field', async () => {
      const user = (await newUser(dataSource, { email: 'fields@example.com' })).id;
      await query(
        `UPDATE auth.users SET image = 'https://img.example/a.png', phone_number = '+15550100',
                phone_number_verified = true, email_verified = true, role = 'user,admin',
                updated_at = now() + interval '1 minute'
          WHERE id = $1`,
        [user],
      );
      const created = await newSession(dataSource, user, {
        ipAddress: '192.0.2.7',
        userAgent: 'probe/1.0',
      });
      await query(
        `UPDATE auth.sessions SET updated_at = now() + interval '2 minutes' WHERE id = $1`,
        [created.id],
      );
      const [stored] = await query<Record<string, Date>>(
        `SELECT s.created_at, s.updated_at, u.created_at AS user_created_at,
                u.updated_at AS user_updated_at
           FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id WHERE s.id = $1`,
        [created.id],
      );

      const session = await sut.validate(created.token);

      expect(session).toEqual({
        id: created.id,
        userId: user,
        token: created.tokenHash,
        expiresAt: created.expiresAt,
        ipAddress: '192.0.2.7',
        userAgent: 'probe/1.0',
        impersonatedBy: null,
        createdAt: stored!.created_at,
        updatedAt: stored!.updated_at,
        user: {
          id: user,
          email: 'fields@example.com',
          emailVerified: true,
          name: 'Test',
          image: 'https://img.example/a.png',
          phoneNumber: '+15550100',
          phoneNumberVerified: true,
          role: 'user,admin',
          banned: false,
          banExpires: null,
          createdAt: stored!.user_created_at,
          updatedAt: stored!.user_updated_at,
        },
      });
    });

    it('sends the lookup as the named prepared statement, or unnamed with DATABASE_PREPARED_STATEMENTS=false', async () => {
      const created = await newSession(dataSource, userId);
      const pool = postgresPool(dataSource);
      const spy = jest.spyOn(pool, 'query');
      const unnamed = new SessionsRepository(dataSource, {
        ...DEFAULT_CONFIG,
        DATABASE_PREPARED_STATEMENTS: false,
      });
      try {
        expect((await sut.validate(created.token))?.id).toBe(created.id);
        expect((await unnamed.findValidByToken(created.token))?.id).toBe(created.id);

        const [named, plain] = spy.mock.calls.map(([config]) => config as { name?: string });
        expect(named!.name).toBe('auth_session_lookup');
        expect(plain).not.toHaveProperty('name');
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('validate: refused sessions', () => {
    const setUser = (id: string, assignments: string) =>
      query(`UPDATE auth.users SET ${assignments} WHERE id = $1`, [id]);
    /** A session of a new user opened by an admin impersonating it. */
    const impersonation = async (adminRole = 'admin') => {
      const admin = (await newUser(dataSource, { email: `admin-${randomUUID()}@example.com` })).id;
      await setUser(admin, `role = '${adminRole}'`);
      const user = (await newUser(dataSource, { email: `user-${randomUUID()}@example.com` })).id;
      const created = await newSession(dataSource, user);
      await query(`UPDATE auth.sessions SET impersonated_by = $2 WHERE id = $1`, [
        created.id,
        admin,
      ]);
      return { admin, created };
    };

    it("refuses a banned user's session without deleting it, and takes it again once the ban ends", async () => {
      const user = (await newUser(dataSource, { email: `banned-${randomUUID()}@example.com` })).id;
      const created = await newSession(dataSource, user);

      await setUser(user, `banned = true, ban_expires = NULL`);
      expect(await sut.validate(created.token)).toBeNull();
      await setUser(user, `banned = true, ban_expires = now() + interval '1 hour'`);
      expect(await sut.validate(created.token)).toBeNull();
      expect(await sessionCount('id = $1', [created.id])).toBe(1);

      await setUser(user, `banned = true, ban_expires = now() - interval '1 second'`);
      expect((await sut.validate(created.token))?.id).toBe(created.id);
    });

    it('takes an impersonation session while its admin is an admin in good standing', async () => {
      const { admin, created } = await impersonation();
      const session = await sut.validate(created.token);
      expect(session?.impersonatedBy).toBe(admin);

      const alsoUser = await impersonation('user,admin');
      expect((await sut.validate(alsoUser.created.token))?.id).toBe(alsoUser.created.id);
    });

    it('refuses an impersonation session once its admin is banned or no longer an admin', async () => {
      const banned = await impersonation();
      await setUser(banned.admin, `banned = true`);
      expect(await sut.validate(banned.created.token)).toBeNull();

      const demoted = await impersonation();
      await setUser(demoted.admin, `role = 'user'`);
      expect(await sut.validate(demoted.created.token)).toBeNull();
      expect(await sessionCount('id = ANY($1)', [[banned.created.id, demoted.created.id]])).toBe(2);
    });
  });

  describe('revoke and revokeAll', () => {
    it('revoke deletes that session only and says whether it existed', async () => {
      const [revoked, kept] = await insertSessions(2, '1 hour');

      expect(await sut.revoke(revoked!)).toBe(true);
      expect(await sut.revoke(revoked!)).toBe(false);
      expect(await query(`SELECT id FROM auth.sessions`)).toEqual([{ id: kept }]);
    });

    it("revokeAll deletes every session of the user and no one else's", async () => {
      const otherUser = (await newUser(dataSource)).id;
      await insertSessions(3, '1 hour');
      await insertSessions(1, '-1 hour');
      const [kept] = await insertSessions(1, '1 hour', otherUser);

      expect(await sut.revokeAll(userId)).toBe(4);
      expect(await query(`SELECT id FROM auth.sessions`)).toEqual([{ id: kept }]);
    });
  });

  describe('deleteExpired', () => {
    it('deletes only expired sessions, in batches of at most batchSize', async () => {
      await insertSessions(25, '-1 minute');
      const valid = await insertSessions(5, '1 minute');

      const started = performance.now();
      const cleanup = await sut.deleteExpired(10);
      const elapsed = performance.now() - started;

      expect(cleanup).toMatchObject({ deleted: 25, batches: 3 });
      // The longest of the three statements: some time, and no more than the whole call.
      expect(cleanup.longestBatchMs).toBeGreaterThan(0);
      expect(cleanup.longestBatchMs).toBeLessThanOrEqual(elapsed);
      expect(
        (await query<{ id: string }>(`SELECT id FROM auth.sessions`)).map((r) => r.id).sort(),
      ).toEqual(valid.sort());
    });

    it('takes at most batchSize rows in one statement, oldest expiry first', async () => {
      await insertSessions(3, '-1 day');
      await insertSessions(3, '-1 minute');

      expect(await moduleRef.get(SessionsRepository).deleteExpiredBatch(3)).toBe(3);
      expect(await sessionCount(`expires_at < now() - interval '1 hour'`)).toBe(0);
      expect(await sessionCount()).toBe(3);
    });

    it('uses SESSION_CLEANUP_BATCH_SIZE by default and refuses a batch size below 1', async () => {
      await insertSessions(3, '-1 minute');

      expect(await sut.deleteExpired()).toMatchObject({ deleted: 3, batches: 1 });
      await expect(sut.deleteExpired(0)).rejects.toThrow(
        new RangeError('batchSize must be a positive integer, got 0'),
      );
      await expect(sut.deleteExpired(1.5)).rejects.toThrow(RangeError);
      await insertSessions(2, '-1 minute');
      expect(await sut.deleteExpired(1)).toMatchObject({ deleted: 2, batches: 3 });
    });

    it('skips rows another transaction holds instead of waiting for them', async () => {
      const held = await insertSessions(5, '-1 minute');
      await insertSessions(20, '-1 minute');
      const other = dataSource.createQueryRunner();
      await other.connect();
      await other.startTransaction();
      try {
        await other.query(`SELECT id FROM auth.sessions WHERE id = ANY($1) FOR UPDATE`, [held]);

        expect((await sut.deleteExpired(7)).deleted).toBe(20);
        expect(
          (await query<{ id: string }>(`SELECT id FROM auth.sessions`)).map((r) => r.id).sort(),
        ).toEqual([...held].sort());
      } finally {
        await other.rollbackTransaction();
        await other.release();
      }
    });

    it('runs from several callers at once without errors and deletes every expired row once', async () => {
      await insertSessions(3000, '-1 minute');
      await insertSessions(10, '1 minute');

      const runs = await Promise.all([1, 2, 3, 4].map(() => sut.deleteExpired(100)));

      expect(runs.reduce((sum, run) => sum + run.deleted, 0)).toBe(3000);
      expect(await sessionCount()).toBe(10);
      expect(await sessionCount('expires_at <= now()')).toBe(0);
    });
  });
});

describe(ExpiredSessionsScheduler.name, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('registers nothing when SESSION_CLEANUP_INTERVAL_SECONDS is 0', async () => {
    const moduleRef = await sessionsContext(database, { SESSION_CLEANUP_INTERVAL_SECONDS: '0' });
    try {
      expect(moduleRef.get(SchedulerRegistry).getIntervals()).toEqual([]);
    } finally {
      await moduleRef.close();
    }
  });

  it('runs the clean-up every SESSION_CLEANUP_INTERVAL_SECONDS, and stops with the app', async () => {
    const moduleRef = await sessionsContext(database, { SESSION_CLEANUP_INTERVAL_SECONDS: '1' });
    const registry = moduleRef.get(SchedulerRegistry);
    const dataSource = moduleRef.get(DataSource);
    try {
      expect(registry.getIntervals()).toEqual([EXPIRED_SESSIONS_CLEANUP]);
      const user = await newUser(dataSource);
      await newSession(dataSource, user.id, { expiresIn: '-1 second' });
      const valid = await newSession(dataSource, user.id, { expiresIn: '1 hour' });

      const left = await pollUntil(
        async () =>
          (await dataSource.query<{ token: string }[]>(`SELECT token FROM auth.sessions`)).map(
            (row) => row.token,
          ),
        (tokens) => tokens.length === 1,
      );

      expect(left).toEqual([valid.tokenHash]);
    } finally {
      await moduleRef.close();
    }
    expect(registry.getIntervals()).toEqual([]);
  });

  it('does not start a run while the previous one is still going', async () => {
    const moduleRef = await sessionsContext(database);
    try {
      const scheduler = moduleRef.get(ExpiredSessionsScheduler);

      const [first, second] = await Promise.all([scheduler.run(), scheduler.run()]);

      expect(first).toMatchObject({ batches: 1 });
      expect(second).toBeNull();
    } finally {
      await moduleRef.close();
    }
  });
});

/** Calls `read` every 100 ms until `done` holds for its result (at most 10 s); returns it. */
async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
