import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { httpLogOptions } from './logger';

/**
 * nestjs-pino on `logger`: one line per request ({@link httpLogOptions}) and, once `main.ts` has
 * called `app.useLogger(app.get(Logger))`, Nest's own `Logger` calls as JSON lines carrying the
 * `reqId` of the request they were made in.
 */
export function loggingModule(logger: Logger): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: httpLogOptions(logger) });
}
