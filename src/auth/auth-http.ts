import type { NextFunction, Request, Response } from 'express';
import { CLIENT_IP_HEADER } from './auth-rate-limit';

/**
 * Runs before Better Auth's handler on every request to `/api/auth` (the `middleware` option of
 * `@thallesp/nestjs-better-auth`): sets {@link CLIENT_IP_HEADER} to Express's `req.ip`, replacing
 * any value the client sent. Without a proxy that is the TCP peer; behind one, `TRUST_PROXY`
 * decides which `X-Forwarded-For` entry is the client. Better Auth itself reads only headers: in
 * production without one it would count every client in one shared bucket.
 */
export function clientIpMiddleware(req: Request, _res: Response, next: NextFunction): void {
  if (req.ip) req.headers[CLIENT_IP_HEADER] = req.ip;
  else delete req.headers[CLIENT_IP_HEADER];
  next();
}

/**
 * Better Auth with `Retry-After` (RFC 9110, section 10.2.3) on its 429s, which carry the seconds
 * only in `X-Retry-After`. The rate limiter answers before any hook runs, so the answer is amended
 * on its way out of the handler.
 */
export function withRetryAfter<T extends { handler: (request: Request_) => Promise<Response_> }>(
  auth: T,
): T {
  const handler = async (request: Request_): Promise<Response_> => {
    const response = await auth.handler(request);
    const seconds = response.headers.get('x-retry-after');
    if (response.status === 429 && seconds && !response.headers.has('retry-after')) {
      response.headers.set('Retry-After', seconds);
    }
    return response;
  };
  return { ...auth, handler };
}

/** The Fetch API's request and response, whose names Express's types shadow here. */
type Request_ = globalThis.Request;
type Response_ = globalThis.Response;
