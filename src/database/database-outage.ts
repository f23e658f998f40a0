import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';

/**
 * SQLSTATEs that mean "the database is away", not "this request is wrong" (PostgreSQL docs,
 * Appendix A): the server is shutting down or starting (57P01 admin_shutdown, 57P02
 * crash_shutdown, 57P03 cannot_connect_now), our `statement_timeout` cancelled the query (57014
 * query_canceled), too many connections (53300), and every connection exception (class 08).
 */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '57014', '53300']);

/** Socket errors of a server that is down, unreachable or gone mid-query. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * What pg throws without a code: a connection lost or never made within `connectionTimeoutMillis`
 * (pg-pool), a query past the client's `query_timeout` (pg), a client whose socket failed.
 */
const PG_CLIENT_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
  /is not queryable$/,
];

/**
 * Tells whether an error means the database is unavailable for now (down, restarting, frozen,
 * unreachable, out of connections, too slow for our time-outs, or its connection lost in the
 * middle of a transaction), so the request may be retried:
 * a 503, never a 500. Looks through TypeORM's `QueryFailedError`, `cause` chains and the
 * `AggregateError` Node gives when every address of a host refused.
 *
 * @param error anything a query threw (TypeORM, pg, Kysely through Better Auth).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  // TypeORM releases a query runner whose connection failed (pg's `error` event, e.g. a backend
  // terminated between two statements of a transaction): the next statement then throws this.
  if (error instanceof QueryRunnerAlreadyReleasedError) return true;
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : undefined;
  if (cause !== undefined && cause !== error) return isDatabaseUnavailable(cause, depth + 1);
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || SOCKET_CODES.has(code)) {
      return true;
    }
  }
  if (typeof message === 'string' && PG_CLIENT_MESSAGES.some((pattern) => pattern.test(message))) {
    return true;
  }
  const nested = [
    (error as { cause?: unknown }).cause,
    ...((error as { errors?: unknown }).errors instanceof Array
      ? (error as { errors: unknown[] }).errors
      : []),
  ];
  return nested.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
