import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { type HttpLogger, pinoHttp } from 'pino-http';
import { httpLogOptions } from './logger';

/** pino-http's logger, which writes one line per request; `configureApp` runs it first. */
export const REQUEST_LOG = Symbol('REQUEST_LOG');

/** What {@link REQUEST_LOG} provides: called with a Node request and response. */
export type RequestLog = HttpLogger;

/** Logging, global; see {@link LoggingModule.forRoot}. */
@Module({})
export class LoggingModule {
  /**
   * Logging on `logger`:
   *
   * - {@link REQUEST_LOG}, pino-http, which writes one line per request
   *   ({@link httpLogOptions}). It must run before every middleware and request hook, Better
   *   Auth's handler included (which `@thallesp/nestjs-better-auth` mounts ahead of any module
   *   middleware), so `configureApp` runs it in the adapter's first request hook.
   * - nestjs-pino, whose own middleware only binds each request's logger (`req.log`, made by
   *   {@link REQUEST_LOG}, with its `reqId`) to the lines logged while handling it
   *   (`useExisting`: a second pino-http per request cost a child logger and a request id more),
   *   and whose `Logger` `main.ts` makes Nest's logger.
   */
  static forRoot(logger: Logger): DynamicModule {
    const options = httpLogOptions(logger);
    return {
      module: LoggingModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { ...options, autoLogging: false },
          useExisting: true,
          // nestjs-pino's default, `{/*splat}`, matches no path in `@fastify/middie` 9.
          forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        }),
      ],
      providers: [{ provide: REQUEST_LOG, useValue: pinoHttp(options) }],
      exports: [REQUEST_LOG],
    };
  }
}
