import type { IncomingMessage } from 'node:http';

/**
 * The path of a Node request's target, without its query string (which may hold tokens): the
 * URL before any middleware rewrote it (`originalUrl`, as `@fastify/middie` keeps it), else `url`.
 */
export function requestPath(request: IncomingMessage & { originalUrl?: string }): string {
  const target = request.originalUrl ?? request.url ?? '';
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}
