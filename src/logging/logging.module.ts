import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { httpLogOptions } from './logger';

/** The Express middleware that writes one line per request; `configureApp` mounts it first. */
export const REQUEST_LOG = Symbol('REQUEST_LOG');

/** Logging, global; see {@link LoggingModule.forRoot}. */
@Module({})
export class LoggingModule {
  /**
   * Logging on `logger`:
   *
   * - {@link REQUEST_LOG}, the pino-http middleware that writes one line per request
   *   ({@link httpLogOptions}). It must come before every other middleware, Better Auth's handler
   *   included (which `@thallesp/nestjs-better-auth` mounts ahead of any module middleware), so
   *   `configureApp` mounts it itself.
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
        LoggerModule.forRoot({ pinoHttp: { ...options, autoLogging: false }, useExisting: true }),
      ],
      providers: [{ provide: REQUEST_LOG, useValue: pinoHttp(options) }],
      exports: [REQUEST_LOG],
    };
  }
}
