import type { NestApplicationOptions } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AUTH_BASE_PATH } from '../auth/auth-options';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/environment';
import { DatabaseAvailability } from '../database/database-availability';
import { REQUEST_LOG, type RequestLog } from '../logging/logging.module';
import { ROUTE_PATTERN, type RoutedRequest } from '../logging/logger';
import { serveApiDocs } from '../openapi/api-docs';
import { corsOptions } from './cors';
import { HttpExceptionFilter } from './http-exception.filter';
import { jsonBodiesOnly } from './json-bodies';
import type { AppHttpAdapter } from './app-http-adapter';
import { applyServerTimeouts } from './server-timeouts';
import { createValidationPipe } from './validation.pipe';

/**
 * Helmet's headers (Nest's `useSecurityHeaders` sends the same, with the same defaults, and drops
 * `X-Powered-By`), with the policy of a JSON API: nothing may load, nothing may frame it.
 */
const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  xFrameOptions: { action: 'deny' },
} as const;

/**
 * Applies the HTTP settings that `main.ts` and the end-to-end tests share, in this order, all
 * before Better Auth's handler (Fastify middleware mounted at `app.init()`), so `/api/auth/*`
 * gets them too:
 *
 * 0. one log line per request (`REQUEST_LOG`), for every request: it starts in the adapter's first
 *    request hook, ahead of its CORS hook, so preflights are logged too;
 * 1. security headers on every response (set in that first hook too, so preflights carry them),
 *    and no `X-Powered-By`; outside production, the API's spec and Swagger UI at `/docs`
 *    ({@link serveApiDocs}), public, with a CSP that lets it load;
 * 2. CORS for the origins of `CORS_ORIGINS` (none when unset), preflights included;
 * 3. `Cache-Control: no-store` on every `/api/auth/*` response (they carry session tokens);
 * 4. 415 for a body that is not JSON ({@link jsonBodiesOnly}), before Fastify reads it;
 * 5. validation of every input and one error shape, 503 with `Retry-After` for database outages;
 * 6. the HTTP server's time-outs for slow clients ({@link applyServerTimeouts}).
 *
 * Create the app on an {@link AppHttpAdapter} (`TRUST_PROXY`, `BODY_LIMIT_BYTES`) with
 * {@link APP_OPTIONS}: Nest's own body parser
 * off, since the JSON body parser, limited to `BODY_LIMIT_BYTES`, comes from `AuthModule`, which
 * leaves Better Auth's routes unparsed. Call it once, before `app.init()` or `app.listen()`.
 */
export function configureApp(app: NestFastifyApplication): void {
  const requestLog = app.get<RequestLog>(REQUEST_LOG);
  const adapter = app.get<HttpAdapterHost<AppHttpAdapter>>(HttpAdapterHost).httpAdapter;
  adapter.setOnRequestHook((request, reply, done) => {
    logRequest(requestLog, request, reply);
    adapter.setSecurityHeaders(request, reply);
    done();
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useSecurityHeaders(SECURITY_HEADERS);
  if (config.NODE_ENV !== 'production') serveApiDocs(app);
  const cors = corsOptions(config.CORS_ORIGINS);
  if (cors) app.enableCors(cors);
  app.use(AUTH_BASE_PATH, noStore);
  app.use(jsonBodiesOnly(AUTH_BASE_PATH));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter(adapter, app.get(DatabaseAvailability)));
  applyServerTimeouts(app.getHttpServer(), {
    headersSeconds: config.HTTP_HEADERS_TIMEOUT_SECONDS,
    requestSeconds: config.HTTP_REQUEST_TIMEOUT_SECONDS,
    keepAliveSeconds: config.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS,
  });
}

/**
 * Starts the request's log line: pino-http on the Node request and response, with the route
 * pattern Fastify matched (none for a 404). Fastify's own `request.log` becomes pino-http's
 * child logger, which `@fastify/middie` hands to the middleware (nestjs-pino binds it to the
 * lines logged while handling the request, each with the `reqId`).
 */
function logRequest(requestLog: RequestLog, request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw as RoutedRequest & { log?: FastifyRequest['log'] };
  if (!request.is404 && request.routeOptions.url !== undefined) {
    raw[ROUTE_PATTERN] = request.routeOptions.url;
  }
  requestLog(raw, reply.raw);
  if (raw.log) request.log = raw.log;
}

function noStore(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
  response.setHeader('Cache-Control', 'no-store');
  next();
}

/** Options of `NestFactory.create` for this app: Nest's own body parser off (see configureApp). */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };
