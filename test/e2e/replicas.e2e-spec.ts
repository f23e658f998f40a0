import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { type StreamingReplica, startStreamingReplica } from '../../src/bench/streaming-replica';
import { REPLICA_RETRY_MS } from '../../src/database/replica-reads';
import { runPendingMigrations } from '../../src/migration-tools/migrator';
import { newAdmin, type SignedIn, signIn, signUp } from '../helpers/auth';
import { newCategory, type Queryable } from '../helpers/factories';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The app with `DATABASE_REPLICA_URLS` naming a real streaming replica (a private primary and
 * replica on the embedded binaries, whatever DATABASE_URL says). Which server ran what is read
 * from `pg_stat_statements` on each, which counts a statement as soon as it ends.
 */
describe('read replicas', () => {
  let pair: StreamingReplica;
  let sut: TestApp;
  let user: SignedIn;
  const http = () => sut.http();
  const guardStatus = async (session: SignedIn) =>
    (await http().get('/sessions/current').set(session.auth)).status;
  const categorySlugs = async () =>
    ((await http().get('/categories').expect(200)).body as { slug: string }[]).map((c) => c.slug);

  /** Calls of the statements whose text matches `pattern` (ILIKE), per server. */
  async function calls(pattern: string): Promise<{ primary: number; replica: number }> {
    const sql = `SELECT coalesce(sum(calls), 0)::int AS n FROM pg_stat_statements
                  WHERE query ILIKE $1 AND query NOT ILIKE '%pg_stat_statements%'`;
    const [primary] = await pair.primarySql<{ n: number }>(sql, [pattern]);
    const [replica] = await pair.replicaSql<{ n: number }>(sql, [pattern]);
    return { primary: primary!.n, replica: replica!.n };
  }
  /** How many more calls each server ran of `pattern` while `work` ran. */
  async function served(pattern: string, work: () => Promise<unknown>) {
    const before = await calls(pattern);
    await work();
    const after = await calls(pattern);
    return { primary: after.primary - before.primary, replica: after.replica - before.replica };
  }

  /** The primary, for the factories: rows written there reach the replica by streaming. */
  const primary: Queryable = {
    query: <T>(text: string, params?: unknown[]) =>
      pair.primarySql(text, params) as unknown as Promise<T>,
  };

  beforeAll(async () => {
    pair = await startStreamingReplica();
    await runPendingMigrations(pair.primaryUrl);
    await pair.primarySql('CREATE EXTENSION pg_stat_statements');
    await newCategory(primary, { slug: 'books', name: 'Books' });
    await newCategory(primary, { slug: 'tools', name: 'Tools' });
    await pair.caughtUp();
    sut = await createTestApp(
      { DATABASE_REPLICA_URLS: pair.replicaUrl, DATABASE_CONNECT_TIMEOUT_SECONDS: '1' },
      { databaseUrl: pair.primaryUrl },
    );
    user = await signUp(sut);
  }, 60_000);

  afterAll(async () => {
    await sut?.close();
    await pair?.stop();
  }, 30_000);

  describe('routing', () => {
    it('serves the category tree and the location list from the replica', async () => {
      expect(
        await served('%master.categories%', () => http().get('/categories').expect(200)),
      ).toEqual({ primary: 0, replica: 1 });
      expect(await served('%"locations"%', () => http().get('/locations').expect(200))).toEqual({
        primary: 0,
        replica: 1,
      });
    });

    it('serves the item list from the replica, and the write and the session lookup from the primary', async () => {
      const [{ id: categoryId }] = (await pair.primarySql(
        `SELECT id FROM master.categories WHERE slug = 'books'`,
      )) as [{ id: string }];
      const insert = await served('INSERT INTO%app%items%', () =>
        http()
          .post(`/users/${user.user.id}/items`)
          .set(user.auth)
          .send({ title: 'A book', categoryId })
          .expect(201),
      );
      await pair.caughtUp();
      const lookups = { primary: 0, replica: 0 };
      const list = await served('%FROM%app%items%', async () => {
        const before = await calls('%FROM auth.sessions s%');
        const response = await http().get(`/users/${user.user.id}/items`).set(user.auth);
        expect(response.status).toBe(200);
        expect((response.body as { items: { title: string }[] }).items).toEqual([
          expect.objectContaining({ title: 'A book' }),
        ]);
        const after = await calls('%FROM auth.sessions s%');
        lookups.primary = after.primary - before.primary;
        lookups.replica = after.replica - before.replica;
      });

      expect(insert).toEqual({ primary: 1, replica: 0 });
      expect(list).toEqual({ primary: 0, replica: 1 });
      expect(lookups).toEqual({ primary: 1, replica: 0 });
    });
  });

  describe('with replay paused on the replica', () => {
    /** Sessions made before the pause, so that the replica holds them: revoked during it. */
    let signingOut: SignedIn;
    let everywhere: [SignedIn, SignedIn];
    let admin: SignedIn;
    let banned: SignedIn;

    beforeAll(async () => {
      signingOut = await signUp(sut);
      const first = await signUp(sut);
      everywhere = [first, await signIn(sut, first.user.email)];
      admin = await newAdmin(sut);
      banned = await signUp(sut);
      await pair.caughtUp();
      await pair.replicaSql('SELECT pg_wal_replay_pause()');
    });

    afterAll(async () => {
      await pair.replicaSql('SELECT pg_wal_replay_resume()');
    });

    it('the replica lags: a category added on the primary is not listed yet', async () => {
      await newCategory(primary, { slug: 'lag', name: 'Lag' });
      await sleep(300);

      expect(await categorySlugs()).not.toContain('lag');
      expect(
        (await pair.primarySql(`SELECT slug FROM master.categories WHERE slug = 'lag'`)).length,
      ).toBe(1);
    });

    it('accepts a session just created by sign-up or sign-in at once', async () => {
      const fresh = await signUp(sut);
      const again = await signIn(sut, fresh.user.email);

      expect([await guardStatus(fresh), await guardStatus(again)]).toEqual([200, 200]);
    });

    it('refuses a session at once after sign-out', async () => {
      expect(await guardStatus(signingOut)).toBe(200);

      await http().post('/api/auth/sign-out').set(signingOut.auth).send({}).expect(200);

      expect(await guardStatus(signingOut)).toBe(401);
    });

    it('refuses every session of the user at once after DELETE /sessions', async () => {
      expect(await Promise.all(everywhere.map(guardStatus))).toEqual([200, 200]);

      await http().delete('/sessions').set(everywhere[0].auth).expect(204);

      expect(await Promise.all(everywhere.map(guardStatus))).toEqual([401, 401]);
    });

    it("refuses a banned user's session at once", async () => {
      expect(await guardStatus(banned)).toBe(200);

      await http()
        .post('/api/auth/admin/ban-user')
        .set(admin.auth)
        .send({ userId: banned.user.id })
        .expect(200);

      expect(await guardStatus(banned)).toBe(401);
    });
  });

  describe('a replica that goes down', () => {
    it('answers from the primary within the connect time-out, warns once, reports it in /health, and returns to the replica', async () => {
      await pair.caughtUp();
      const warn = jest.spyOn(Logger.prototype, 'warn');
      try {
        await pair.stopReplica();
        const durations: number[] = [];
        for (let i = 0; i < 3; i++) {
          const started = Date.now();
          expect(await categorySlugs()).toEqual(expect.arrayContaining(['books', 'lag']));
          durations.push(Date.now() - started);
        }
        const health = await http().get('/health').expect(200);

        expect(Math.max(...durations)).toBeLessThan(1500);
        expect(health.body).toMatchObject({
          status: 'degraded',
          info: { database: { status: 'up' }, replica: { status: 'degraded' } },
        });
        const replicaWarnings = warn.mock.calls.filter(([message]) =>
          /replica is unavailable/.test(String(message)),
        );
        expect(replicaWarnings).toHaveLength(1);
      } finally {
        warn.mockRestore();
      }

      await pair.startReplica();
      await sleep(REPLICA_RETRY_MS + 100);

      expect(
        await served('%master.categories%', () => http().get('/categories').expect(200)),
      ).toEqual({ primary: 0, replica: 1 });
      expect((await http().get('/health').expect(200)).body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, replica: { status: 'up' } },
      });
    });
  });
});
