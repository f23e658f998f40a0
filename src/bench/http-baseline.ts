import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { readSessionToken, sessionCookieName } from '../auth/request-token';
import { hashSessionToken } from '../auth/session-token-hash';
import { encodeItemCursor } from '../items/item-cursor';
import { type ItemPageRow, itemPageQuery, toItemEntity } from '../items/item-page.query';
import {
  type SessionLookupRow,
  sessionLookupQuery,
  toSessionEntity,
} from '../sessions/session-lookup.query';
import { toSessionResponse } from '../sessions/session.response';

/*
 * The bare `node:http` server that `npm run bench -- --http` compares the app with. It does the
 * app's work for the two measured routes without the framework: the session lookup (the app's
 * prepared statement, `sessionLookupQuery`, on a token read by the guard's `readSessionToken` and
 * hashed as the app hashes it), and for the item list the app's keyset page (`itemPageQuery`, a
 * named prepared statement too); then the same JSON as the app. Errors are answered with a bare status:
 * the bench only sends requests that succeed, and counts any other answer as a failure.
 *
 * Run as a child process of the bench (so that it does not share an event loop with the load
 * generator), configured by its environment: DATABASE_URL, BENCH_POOL_SIZE (the app pool's size),
 * BENCH_RENEW_WITHIN_SECONDS (the app's SESSION_TTL_SECONDS - SESSION_UPDATE_AGE_SECONDS) and
 * BETTER_AUTH_SECRET. It prints `Listening on <port>` once it listens on a free port.
 */

const ITEMS_PATH = /^\/users\/([0-9a-f-]{36})\/items(?:\?|$)/;

function main(): void {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.BENCH_POOL_SIZE ?? 10),
  });
  const renewWithin = Number(process.env.BENCH_RENEW_WITHIN_SECONDS ?? 0);
  const secret = process.env.BETTER_AUTH_SECRET ?? '';
  const cookieName = sessionCookieName(true);

  const answer = (response: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      response.writeHead(status).end();
      return;
    }
    const text = JSON.stringify(body);
    response
      .writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
      })
      .end(text);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const token = readSessionToken(request.headers, secret, cookieName);
    if (!token) return answer(response, 401);
    const tokenHash = hashSessionToken(token);
    const { rows } = await pool.query<SessionLookupRow>(sessionLookupQuery(tokenHash, renewWithin));
    const row = rows[0];
    if (!row?.valid || row.banned_now) return answer(response, 401);
    const url = request.url ?? '';
    if (url === '/sessions/current') {
      return answer(response, 200, toSessionResponse(toSessionEntity(row, tokenHash)));
    }
    const items = ITEMS_PATH.exec(url);
    if (!items) return answer(response, 404);
    if (items[1] !== row.user_id) return answer(response, 404);
    const limit = Number(new URL(url, 'http://localhost').searchParams.get('limit') ?? 20);
    const page = await pool.query<ItemPageRow>(
      itemPageQuery({ userId: row.user_id, limit: limit + 1 }, true),
    );
    const found = page.rows.slice(0, limit);
    const last = found.at(-1);
    return answer(response, 200, {
      items: found.map(toItemEntity),
      nextCursor:
        page.rows.length > limit && last
          ? encodeItemCursor({ createdAt: last.cursor_created_at, id: last.id })
          : null,
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => answer(response, 500));
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, () => {
    process.stdout.write(`Listening on ${(server.address() as AddressInfo).port}\n`);
  });
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void pool.end().then(() => process.exit(0));
  });
}

main();
