import type { NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AUTH_BASE_PATH } from '../auth/auth-options';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/environment';
import { DatabaseAvailability } from '../database/database-availability';
import { REQUEST_LOG } from '../logging/logging.module';
import { serveApiDocs } from '../openapi/api-docs';
import { corsOptions } from './cors';
import { HttpExceptionFilter } from './http-exception.filter';
import { jsonBodiesOnly } from './json-bodies';
import { applyServerTimeouts } from './server-timeouts';
import { trustProxySetting } from './trust-proxy';
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
 * before Better Auth's handler (mounted at `app.init()`), so `/api/auth/*` gets them too:
 *
 * 0. one log line per request (`REQUEST_LOG`), for every request;
 * 1. security headers on every response, and no `X-Powered-By`; outside production, the API's
 *    spec and Swagger UI at `/docs` ({@link serveApiDocs}), public, with a CSP that lets it load;
 * 2. CORS for the origins of `CORS_ORIGINS` (none when unset), preflights included;
 * 3. `Cache-Control: no-store` on every `/api/auth/*` response (they carry session tokens);
 * 4. 415 for a body that is not JSON ({@link jsonBodiesOnly});
 * 5. validation of every input and one error shape, 503 with `Retry-After` for database outages;
 * 6. the HTTP server's time-outs for slow clients ({@link applyServerTimeouts}).
 *
 * `TRUST_PROXY` becomes Express's `trust proxy`, which decides the client address (`req.ip`) that
 * the rate limits count by.
 *
 * Create the app with `bodyParser: false` ({@link APP_OPTIONS}): the JSON body parser, limited to
 * `BODY_LIMIT_BYTES`, comes from `AuthModule`, which leaves Better Auth's routes unparsed. Call it
 * once, before `app.init()` or `app.listen()`.
 */
export function configureApp(app: NestExpressApplication): void {
  app.use(app.get<RequestHandler>(REQUEST_LOG));
  const config = app.get<AppConfig>(APP_CONFIG);
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  app.useSecurityHeaders(SECURITY_HEADERS);
  if (config.NODE_ENV !== 'production') serveApiDocs(app);
  const cors = corsOptions(config.CORS_ORIGINS);
  if (cors) app.enableCors(cors);
  app.use(AUTH_BASE_PATH, noStore);
  app.use(jsonBodiesOnly(AUTH_BASE_PATH));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter(app.get(DatabaseAvailability)));
  applyServerTimeouts(app.getHttpServer(), {
    headersSeconds: config.HTTP_HEADERS_TIMEOUT_SECONDS,
    requestSeconds: config.HTTP_REQUEST_TIMEOUT_SECONDS,
    keepAliveSeconds: config.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS,
  });
}

function noStore(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Cache-Control', 'no-store');
  next();
}

/** Options of `NestFactory.create` for this app: Nest's own body parser off (see configureApp). */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };
