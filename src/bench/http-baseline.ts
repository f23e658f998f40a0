import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { readSessionToken, sessionCookieName } from '../auth/request-token';
import { hashSessionToken } from '../auth/session-token-hash';
import { encodeItemCursor } from '../items/item-cursor';
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
 * hashed as the app hashes it), and for the item list the app's keyset query, as a named prepared
 * statement of its own; then the same JSON as the app. Errors are answered with a bare status:
 * the bench only sends requests that succeed, and counts any other answer as a failure.
 *
 * Run as a child process of the bench (so that it does not share an event loop with the load
 * generator), configured by its environment: DATABASE_URL, BENCH_POOL_SIZE (the app pool's size),
 * BENCH_RENEW_WITHIN_SECONDS (the app's SESSION_TTL_SECONDS - SESSION_UPDATE_AGE_SECONDS) and
 * BETTER_AUTH_SECRET. It prints `Listening on <port>` once it listens on a free port.
 */

/** The app's keyset page of a user's live items, newest first (`ItemsRepository.findPage`). */
const ITEM_PAGE_SQL = `SELECT id, created_at, updated_at, user_id, category_id, location_id, title,
       description, status, metadata, deleted_at,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_created_at
  FROM app.items
 WHERE user_id = $1 AND deleted_at IS NULL
 ORDER BY created_at DESC, id DESC
 LIMIT $2`;

interface ItemRow {
  id: string;
  created_at: Date;
  updated_at: Date;
  user_id: string;
  category_id: string;
  location_id: string | null;
  title: string;
  description: string | null;
  status: string;
  metadata: unknown;
  deleted_at: Date | null;
  cursor_created_at: string;
}

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
    const page = await pool.query<ItemRow>({
      name: 'bench_item_page',
      text: ITEM_PAGE_SQL,
      values: [row.user_id, limit + 1],
    });
    const found = page.rows.slice(0, limit);
    const last = found.at(-1);
    return answer(response, 200, {
      items: found.map(toItemJson),
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

/** An item row as the app's `Item` entity serialises it (same keys, same order). */
function toItemJson(row: ItemRow) {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    userId: row.user_id,
    categoryId: row.category_id,
    locationId: row.location_id,
    title: row.title,
    description: row.description,
    status: row.status,
    metadata: row.metadata,
    deletedAt: row.deleted_at,
  };
}

main();
