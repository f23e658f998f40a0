import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestApplicationOptions } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { HttpExceptionFilter } from './http-exception.filter';
import { trustProxySetting } from './trust-proxy';
import { createValidationPipe } from './validation.pipe';

/**
 * Applies the HTTP settings that `main.ts` and the end-to-end tests share: validation of every
 * input and one error shape. Create the app with `bodyParser: false` ({@link APP_OPTIONS}): the
 * JSON body parser, limited to `BODY_LIMIT_BYTES`, comes from `AuthModule`, which leaves Better
 * Auth's routes unparsed. `TRUST_PROXY` becomes Express's `trust proxy`, which decides the
 * client address rate limits count by. Call it before `app.init()` or `app.listen()`.
 */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  app.set('trust proxy', trustProxySetting(config.get('TRUST_PROXY', { infer: true })));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
}

/** Options of `NestFactory.create` for this app: Nest's own body parser off (see configureApp). */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };
