import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { seconds, ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/environment';
import { clientTracker } from './client-tracker';
import { SlidingWindowThrottlerStorage } from './sliding-window.storage';

/**
 * The rate limit of every route outside `/api/auth` (Better Auth limits its own): at most
 * `API_RATE_LIMIT_MAX` requests per `API_RATE_LIMIT_TTL_SECONDS` per client address (`req.ip`,
 * see `TRUST_PROXY`; IPv6 by /64), all routes together, public ones included; a controller opts
 * out with `@SkipThrottle()`. Over it: 429 with `Retry-After` in seconds, in the error shape of
 * `HttpExceptionFilter`. Every response carries `X-RateLimit-Limit`, `-Remaining` and `-Reset`.
 *
 * The global guard is registered here, in a module `AppModule` imports before `SessionsModule`, so
 * it runs before `SessionGuard`: a flood of anonymous requests or wrong tokens meets 429s without
 * a session lookup each. The counts live in memory, per app instance: N instances behind a load
 * balancer let a client make up to N times the limit. The address becomes a key by
 * {@link clientTracker}, the package's own rule with a fast path. They are kept by
 * {@link SlidingWindowThrottlerStorage}: the package's own storage copies a client's whole log on
 * every request (docs/PERFORMANCE.md).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          {
            ttl: seconds(config.API_RATE_LIMIT_TTL_SECONDS),
            limit: config.API_RATE_LIMIT_MAX,
          },
        ],
        getTracker: (request: { ip?: string }) => clientTracker(request.ip),
        generateKey: (_context, tracker) => `api|${tracker}`,
        errorMessage: 'Too many requests: try again later',
        storage: new SlidingWindowThrottlerStorage(),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class ApiThrottlerModule {}
