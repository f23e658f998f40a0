import { kyselyAdapter } from '@better-auth/kysely-adapter';
import type { BetterAuthOptions, DBAdapter, DBAdapterInstance, Where } from 'better-auth';
import { type Dialect, Kysely } from 'kysely';
import { hashSessionToken } from './session-token-hash';

/** A Kysely database entry of Better Auth's `database` option, as `authOptions` gives it. */
export interface KyselyDatabase {
  dialect: Dialect;
  type: 'postgres';
  schemaName?: string;
  transaction?: boolean;
}

type Row = Record<string, unknown>;

/** A call to one of the adapter's model methods, as far as this wrapper reads it. */
interface Call {
  model: string;
  where?: Where[];
  data?: Row;
  update?: Row;
  set?: Row;
}

type Method = (call: Call) => Promise<unknown>;

/** Every method of Better Auth's adapter that takes a `model`. */
const METHODS = [
  'create',
  'findOne',
  'findMany',
  'count',
  'update',
  'updateMany',
  'delete',
  'deleteMany',
  'consumeOne',
  'incrementOne',
] as const;

/** Where operators that still mean the same once both sides are hashed. */
const HASHABLE_OPERATORS = new Set(['eq', 'ne', 'in', 'not_in']);

/** Adapters (and transaction adapters) already wrapped: never hash twice. */
const wrapped = new WeakSet<object>();

/**
 * Better Auth's Kysely adapter, built as `betterAuth()` builds it for a `{ dialect, type,
 * schemaName, transaction }` database, with the session token stored as its SHA-256
 * (`hashSessionToken`) instead of the token itself. Pass it as Better Auth's `database` option.
 *
 * For the `session` model only:
 *
 * - `create` stores the hash of `data.token` and returns the record with the raw token, which
 *   Better Auth puts in the cookie and the response.
 * - Any call with a where clause on `token` (operator `eq`, `ne`, `in` or `not_in`) compares the
 *   hash of each value, so every lookup, update and delete by token keeps working; an update or
 *   increment that sets `token` stores its hash. Other operators on `token` (`contains`, `lt`,
 *   ...) cannot work on hashes and throw.
 * - A record returned by a call that named its token (a lookup by token, an update by token) gets
 *   that raw token back, as Better Auth re-signs the cookie with it when it renews a session. Every
 *   other record keeps the stored hash: listing a user's sessions never shows their tokens, only
 *   their hashes, which identify the sessions but sign nobody in.
 *
 * A value is always hashed before the comparison, never compared as is: a stolen hash presented
 * as a token is hashed again and matches nothing. `/revoke-session` with a hash that
 * `/list-sessions` handed out is completed by `hashedSessionRevocation` (a plugin), after Better
 * Auth has authenticated the caller.
 *
 * Writes stay single conditional statements, as Better Auth's Kysely adapter makes them on
 * PostgreSQL: `update` is `UPDATE ... WHERE <where> RETURNING *` (null when no row matches, never
 * an INSERT), `delete`/`deleteMany` a `DELETE ... WHERE`, `consumeOne` and `incrementOne` one
 * statement each. So a Better Auth route that reads a row and then updates it (the admin
 * plugin's `set-role`, `ban-user`, `update-user`) cannot bring back a row deleted in between: its
 * update matches nothing. This wrapper only rewrites values and where clauses, never the shape.
 *
 * The adapter's methods are replaced on the adapter object itself, not on a copy: Better Auth
 * keeps its schema check in a WeakMap keyed by that object. The adapter that `transaction(cb)`
 * hands to `cb` is wrapped the same way.
 */
export function hashedSessionTokens(database: KyselyDatabase): DBAdapterInstance {
  const kysely = new Kysely<Record<string, never>>({ dialect: database.dialect });
  // The adapter's typings name Kysely's ESM declarations, this file's the CommonJS ones: the same
  // class, which TypeScript cannot tell apart from another by its private fields.
  const db = (database.schemaName
    ? kysely.withSchema(database.schemaName)
    : kysely) as unknown as Parameters<typeof kyselyAdapter>[0];
  const config = { type: database.type, transaction: database.transaction ?? false };
  return (options: BetterAuthOptions) => {
    const sessionModel = options.session?.modelName ?? 'session';
    const isSession = (model: string) => model === 'session' || model === sessionModel;
    return hashTokensIn(kyselyAdapter(db, config)(options), isSession);
  };
}

function hashTokensIn<A extends object>(adapter: A, isSession: (model: string) => boolean): A {
  if (wrapped.has(adapter)) return adapter;
  wrapped.add(adapter);
  const methods = adapter as unknown as Record<(typeof METHODS)[number], Method>;
  for (const name of METHODS) {
    const original = methods[name].bind(adapter);
    methods[name] = async (call) => {
      if (!isSession(call.model)) return original(call);
      const tokens = new Map<string, string>();
      return withRawTokens(await original(hashCall(call, tokens)), tokens);
    };
  }
  const transactional = adapter as Partial<Pick<DBAdapter, 'transaction'>>;
  const transaction = transactional.transaction?.bind(adapter);
  if (transaction) {
    transactional.transaction = (callback) =>
      transaction((trx) => callback(hashTokensIn(trx, isSession)));
  }
  return adapter;
}

/** The call with every session token in it replaced by its hash; `tokens` maps hash to token. */
function hashCall(call: Call, tokens: Map<string, string>): Call {
  const hash = (token: string) => {
    const hashed = hashSessionToken(token);
    tokens.set(hashed, token);
    return hashed;
  };
  const hashed: Call = { ...call };
  if (call.where) hashed.where = call.where.map((clause) => hashClause(clause, hash));
  for (const key of ['data', 'update', 'set'] as const) {
    const values = call[key];
    if (typeof values?.token === 'string') hashed[key] = { ...values, token: hash(values.token) };
  }
  return hashed;
}

function hashClause(clause: Where, hash: (token: string) => string): Where {
  if (clause.field !== 'token' || clause.value === null) return clause;
  const operator = clause.operator ?? 'eq';
  if (!HASHABLE_OPERATORS.has(operator)) {
    throw new Error(
      `Session tokens are stored hashed: "${operator}" on session.token cannot match`,
    );
  }
  const { value } = clause;
  if (typeof value === 'string') return { ...clause, value: hash(value) };
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return { ...clause, value: value.map(hash) };
  }
  return clause;
}

/** Puts the raw token back on each record whose stored hash the call named. */
function withRawTokens(result: unknown, tokens: Map<string, string>): unknown {
  if (tokens.size === 0) return result;
  if (Array.isArray(result)) return result.map((row) => withRawToken(row, tokens));
  return withRawToken(result, tokens);
}

function withRawToken(row: unknown, tokens: Map<string, string>): unknown {
  if (typeof row !== 'object' || row === null) return row;
  const { token } = row as Row;
  const raw = typeof token === 'string' ? tokens.get(token) : undefined;
  return raw === undefined ? row : { ...row, token: raw };
}
