import { HttpStatus, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DatabaseAvailability } from '../database/database-availability';
import { isDatabaseUnavailable } from '../database/database-outage';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_BODY,
} from '../http/database-unavailable';
import type { ErrorBody } from '../http/error-body';
import { CLIENT_IP_HEADER } from './auth-rate-limit';

/**
 * Runs before Better Auth's handler on every request to `/api/auth` (the `middleware` option of
 * `@thallesp/nestjs-better-auth`): sets {@link CLIENT_IP_HEADER} to Fastify's `request.ip`, which
 * `@fastify/middie` copies onto the Node request, replacing any value the client sent. Without a proxy that is the TCP peer; behind one, `TRUST_PROXY`
 * decides which `X-Forwarded-For` entry is the client. Better Auth itself reads only headers: in
 * production without one it would count every client in one shared bucket.
 */
export function clientIpMiddleware(
  req: IncomingMessage & { ip?: string },
  _res: ServerResponse,
  next: () => void,
): void {
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

/**
 * Better Auth answering database outages as the rest of the API does: 503 with `Retry-After` and
 * an ErrorBody, the outage reported to `availability` (one warning per outage), where Better Auth
 * alone would answer 500 with an empty body and log a stack trace per request. Needs
 * `onAPIError: { throw: true }` (see `authOptions`): Better Auth then lets every error that is
 * not one of its own API errors out of its handler; any other such error becomes a logged 500.
 */
export function withOutageAnswers<T extends { handler: (request: Request_) => Promise<Response_> }>(
  auth: T,
  availability: DatabaseAvailability,
): T {
  const logger = new Logger('BetterAuth');
  const handler = async (request: Request_): Promise<Response_> => {
    try {
      return await auth.handler(request);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        availability.reportDown(error);
        return Response.json(DATABASE_UNAVAILABLE_BODY, {
          status: HttpStatus.SERVICE_UNAVAILABLE,
          headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
        });
      }
      logger.error(error instanceof Error ? (error.stack ?? error.message) : error);
      const body: ErrorBody = {
        statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
        error: 'Internal Server Error',
        message: 'Internal server error',
      };
      return Response.json(body, { status: HttpStatus.INTERNAL_SERVER_ERROR });
    }
  };
  return { ...auth, handler };
}

/** The Fetch API's request and response. */
type Request_ = globalThis.Request;
type Response_ = globalThis.Response;
