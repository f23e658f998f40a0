import type { Server } from 'node:http';

/** The HTTP server's bounds on slow clients, in seconds. */
export interface ServerTimeouts {
  /** To receive a request's headers (`HTTP_HEADERS_TIMEOUT_SECONDS`). */
  headersSeconds: number;
  /** To receive a whole request, body included (`HTTP_REQUEST_TIMEOUT_SECONDS`). */
  requestSeconds: number;
  /** An idle keep-alive connection stays open (`HTTP_KEEP_ALIVE_TIMEOUT_SECONDS`). */
  keepAliveSeconds: number;
}

/**
 * Sets Node's `headersTimeout`, `requestTimeout` and `keepAliveTimeout` on the server, so a slow
 * client is answered 408 and disconnected within its bound instead of Node's defaults (60 s and
 * 300 s, checked only every 30 s: 70 s and 310 s in practice). Node checks these bounds every
 * `connectionsCheckingInterval`, read when the server starts listening: it becomes a quarter of
 * the shortest bound, at most 1 s. Call it before `listen()`.
 *
 * @throws RangeError when `requestSeconds` is below `headersSeconds` (Node would refuse it too).
 */
export function applyServerTimeouts(server: Server, timeouts: ServerTimeouts): void {
  if (timeouts.requestSeconds < timeouts.headersSeconds) {
    throw new RangeError(
      'HTTP_REQUEST_TIMEOUT_SECONDS must be at least HTTP_HEADERS_TIMEOUT_SECONDS',
    );
  }
  server.headersTimeout = timeouts.headersSeconds * 1000;
  server.requestTimeout = timeouts.requestSeconds * 1000;
  server.keepAliveTimeout = timeouts.keepAliveSeconds * 1000;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.min(1000, (timeouts.headersSeconds * 1000) / 4);
}
