import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { resolveAuthSecret } from './auth/auth-secret';
import { assertServableConfig, parseConfig } from './config/environment';
import { openPostgresTarget } from './embedded-postgres/postgres-target';
import { takeOverShutdownSignals } from './embedded-postgres/embedded-postgres';
import { migrationSettings, runPendingMigrations } from './migration-tools/migrator';
import { AppHttpAdapter } from './http/app-http-adapter';
import { APP_OPTIONS, configureApp } from './http/configure-app';
import { listenOnEveryInterface } from './http/listen';
import { stopGracefullyOn } from './lifecycle/graceful-shutdown';
import { createLogger } from './logging/logger';

/**
 * Starts the API: parses the environment once ({@link parseConfig}), starts the embedded
 * PostgreSQL when DATABASE_URL is unset, resolves Better Auth's secret (generated and kept in
 * development when unset), both passed to the app in its configuration value, applies pending
 * migrations, then serves on Fastify, on every interface, at PORT (0: a free port the system
 * picks; the log line `Listening on http://localhost:<port>` names the port it got). Any failure
 * before serving prints one line and exits with status 1. Logs are pino's (JSON lines, or readable text on a terminal outside production).
 * SIGTERM and SIGINT stop it gracefully ({@link stopGracefullyOn}); an embedded PostgreSQL that
 * dies under it makes it exit 1 with one line, for a supervisor to restart it.
 */
async function bootstrap(): Promise<void> {
  const env = parseConfig(process.env);
  assertServableConfig(env);
  const logger = createLogger(env);
  const server = await openPostgresTarget(env, {
    onUnexpectedExit: (reason) => {
      console.error(`EmbeddedPostgresError: ${reason}; exiting so that it can be restarted`);
      process.exit(1);
    },
  });
  if (server.owned) logger.info(`Embedded PostgreSQL started: ${new URL(server.url).host}`);
  const config = { ...env, DATABASE_URL: server.url, BETTER_AUTH_SECRET: resolveAuthSecret(env) };

  const { applied, checksums } = await runPendingMigrations(server.url, migrationSettings(env));
  if (checksums.accepted.length > 0) {
    logger.warn(`Recorded the changed checksums of: ${checksums.accepted.join(', ')}`);
  }
  if (applied.length > 0) logger.info(`Applied migrations: ${applied.join(', ')}`);

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, { logger }),
    new AppHttpAdapter(config),
    {
      ...APP_OPTIONS,
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(NestPinoLogger));
  configureApp(app);
  await listenOnEveryInterface(app, env.PORT);
  await takeOverShutdownSignals();
  stopGracefullyOn(['SIGTERM', 'SIGINT'], {
    app,
    stopDatabase: () => server.stop(),
    timeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    logger,
  });
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.info(`Listening on http://localhost:${port}`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exit(1);
});
