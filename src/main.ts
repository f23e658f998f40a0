import 'reflect-metadata';
import { type LogLevel, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { resolveAuthSecret } from './auth/auth-secret';
import {
  assertServableEnvironment,
  type Environment,
  validateEnvironment,
} from './config/environment';
import { openDatabaseServer } from './database/database-server';
import { migrationSettings } from './database/migration-data-source';
import { runPendingMigrations } from './database/migrations-runner';
import { APP_OPTIONS, configureApp } from './http/configure-app';

const LOG_LEVELS: Record<Environment['LOG_LEVEL'], LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

/**
 * Starts the API: validates the environment, starts the embedded PostgreSQL when DATABASE_URL is
 * unset, resolves Better Auth's secret (generated and kept in development when unset), applies
 * pending migrations, then serves on PORT. Any failure before serving prints one
 * line and exits with status 1.
 */
async function bootstrap(): Promise<void> {
  const logger = new Logger('Bootstrap');
  const env = validateEnvironment(process.env);
  assertServableEnvironment(env);
  const server = await openDatabaseServer(env);
  if (server.owned) logger.log(`Embedded PostgreSQL started: ${new URL(server.url).host}`);
  process.env.DATABASE_URL = server.url;
  process.env.BETTER_AUTH_SECRET = resolveAuthSecret(env);

  const { applied, checksums } = await runPendingMigrations(server.url, migrationSettings(env));
  if (checksums.accepted.length > 0) {
    logger.warn(`Recorded the changed checksums of: ${checksums.accepted.join(', ')}`);
  }
  if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
    ...APP_OPTIONS,
    logger: LOG_LEVELS[env.LOG_LEVEL],
    abortOnError: false,
  });
  configureApp(app);
  await app.listen(env.PORT);
  logger.log(`Listening on http://localhost:${env.PORT}`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exit(1);
});
