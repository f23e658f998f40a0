import type { BetterAuthOptions, DBAdapter } from 'better-auth';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import { AUTH_SCHEMA_MAPPING } from './auth-options';
import { hashedSessionTokens } from './hashed-session-tokens.adapter';
import { hashSessionToken } from './session-token-hash';

const TOKEN = 'VIZ42kubA8MYggb5iICQ7xlzpvQsdkI2';
const OTHER = 'o6SSLOzaTGS09qjHzrZvNlfWhPKpEG2i';

/** A PostgreSQL dialect without a server: it records each query and answers `rows`. */
function recordingDialect() {
  const sent: { sql: string; parameters: readonly unknown[] }[] = [];
  const state = { rows: [] as Record<string, unknown>[] };
  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      sent.push({ sql: query.sql, parameters: query.parameters });
      return Promise.resolve({
        rows: state.rows as R[],
        numAffectedRows: BigInt(state.rows.length),
      });
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: () => Promise.resolve(),
    acquireConnection: () => Promise.resolve(connection),
    beginTransaction: async (conn) => void (await conn.executeQuery(raw('BEGIN'))),
    commitTransaction: async (conn) => void (await conn.executeQuery(raw('COMMIT'))),
    rollbackTransaction: async (conn) => void (await conn.executeQuery(raw('ROLLBACK'))),
    releaseConnection: () => Promise.resolve(),
    destroy: () => Promise.resolve(),
  };
  const dialect: Dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
  return { dialect, sent, state };
}

function raw(sql: string): CompiledQuery {
  return { sql, parameters: [], query: { kind: 'RawNode' } } as unknown as CompiledQuery;
}

/** A row of `auth.sessions` as PostgreSQL would return it. */
function sessionRow(token: string): Record<string, unknown> {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    user_id: '00000000-0000-4000-8000-000000000002',
    token,
    expires_at: new Date('2030-01-01T00:00:00Z'),
    ip_address: null,
    user_agent: null,
    created_at: new Date('2029-12-01T00:00:00Z'),
    updated_at: new Date('2029-12-01T00:00:00Z'),
  };
}

describe(hashedSessionTokens.name, () => {
  const options: BetterAuthOptions = {
    ...AUTH_SCHEMA_MAPPING,
    advanced: { database: { generateId: 'uuid' } },
  };
  let db: ReturnType<typeof recordingDialect>;
  let sut: DBAdapter;
  const params = () => db.sent.flatMap((query) => query.parameters);

  beforeEach(() => {
    db = recordingDialect();
    sut = hashedSessionTokens({
      dialect: db.dialect,
      type: 'postgres',
      schemaName: 'auth',
      transaction: true,
    })(options);
  });

  it('stores the hash on create and returns the raw token', async () => {
    db.state.rows = [sessionRow(hashSessionToken(TOKEN))];

    const created = await sut.create<Record<string, unknown>>({
      model: 'session',
      data: {
        userId: '00000000-0000-4000-8000-000000000002',
        token: TOKEN,
        expiresAt: new Date('2030-01-01T00:00:00Z'),
        createdAt: new Date(),
        updatedAt: new Date(),
      },
    });

    expect(params()).toContain(hashSessionToken(TOKEN));
    expect(params()).not.toContain(TOKEN);
    expect(created.token).toBe(TOKEN);
  });

  it('looks a session up by the hash of its token and gives the raw token back', async () => {
    db.state.rows = [sessionRow(hashSessionToken(TOKEN))];

    const found = await sut.findOne<{ token: string }>({
      model: 'session',
      where: [{ field: 'token', value: TOKEN }],
    });

    expect(params()).toEqual([hashSessionToken(TOKEN)]);
    expect(found?.token).toBe(TOKEN);
  });

  it('keeps the stored hash on sessions found otherwise, and hashes every token of an `in`', async () => {
    db.state.rows = [sessionRow(hashSessionToken(TOKEN)), sessionRow(hashSessionToken(OTHER))];

    const byUser = await sut.findMany<{ token: string }>({
      model: 'sessions',
      where: [{ field: 'userId', value: '00000000-0000-4000-8000-000000000002' }],
    });
    const byTokens = await sut.findMany<{ token: string }>({
      model: 'session',
      where: [{ field: 'token', operator: 'in', value: [TOKEN, OTHER] }],
    });

    expect(byUser.map((s) => s.token)).toEqual([TOKEN, OTHER].map(hashSessionToken));
    expect(byTokens.map((s) => s.token)).toEqual([TOKEN, OTHER]);
    expect(params()).not.toContain(TOKEN);
    expect(params()).not.toContain(OTHER);
  });

  it('hashes the where clause of updates, deletes and counts', async () => {
    db.state.rows = [{ count: '1' }];
    await sut.updateMany({
      model: 'session',
      where: [{ field: 'token', value: TOKEN }],
      update: { ipAddress: '203.0.113.1' },
    });
    await sut.deleteMany({ model: 'session', where: [{ field: 'token', value: TOKEN }] });
    await sut.count({ model: 'session', where: [{ field: 'token', value: TOKEN }] });

    expect(params().filter((value) => value === hashSessionToken(TOKEN))).toHaveLength(3);
    expect(params()).not.toContain(TOKEN);
  });

  it('refuses a comparison that cannot work on hashes', async () => {
    await expect(
      sut.findOne({
        model: 'session',
        where: [{ field: 'token', operator: 'starts_with', value: TOKEN.slice(0, 4) }],
      }),
    ).rejects.toThrow('Session tokens are stored hashed: "starts_with" on session.token');
    expect(db.sent).toEqual([]);
  });

  it('leaves other models alone', async () => {
    await sut.findOne({ model: 'verification', where: [{ field: 'value', value: TOKEN }] });

    expect(params()).toEqual([TOKEN]);
  });

  it('hashes inside a transaction too', async () => {
    db.state.rows = [sessionRow(hashSessionToken(TOKEN))];

    const found = await sut.transaction((trx) =>
      trx.findOne<{ token: string }>({
        model: 'session',
        where: [{ field: 'token', value: TOKEN }],
      }),
    );

    expect(db.sent.map((query) => query.sql)).toEqual([
      'BEGIN',
      expect.stringContaining('"auth"."sessions"'),
      'COMMIT',
    ]);
    expect(params()).toEqual([hashSessionToken(TOKEN)]);
    expect(found?.token).toBe(TOKEN);
  });
});
