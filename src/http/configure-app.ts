import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Environment } from '../config/environment';
import { HttpExceptionFilter } from './http-exception.filter';
import { createValidationPipe } from './validation.pipe';

/**
 * Applies the HTTP settings that `main.ts` and the end-to-end tests share: the JSON body limit,
 * validation of every input, and one error shape. Call it before `app.init()` or `app.listen()`.
 */
export function configureApp(app: NestExpressApplication, env: Environment): void {
  app.useBodyParser('json', { limit: env.BODY_LIMIT_BYTES });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
}
