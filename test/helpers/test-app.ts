import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pino, { type Logger } from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { Mailer } from '../../src/auth/mail/mailer';
import { SmsSender } from '../../src/auth/sms/sms-sender';
import { AppHttpAdapter } from '../../src/http/app-http-adapter';
import { APP_OPTIONS, configureApp } from '../../src/http/configure-app';
import { CapturingMailer } from './capturing-mailer';
import { CapturingSmsSender } from './capturing-sms-sender';
import { recordRoutes } from './served-routes';
import { testConfig } from './test-config';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The whole app, configured as `main.ts` does, on a migrated database of the suite's own. */
export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  /** The suite's database; with `extra.databaseUrl`, that URL, never dropped. */
  database: TestDatabase;
  /** Every mail the app sent. */
  mailer: CapturingMailer;
  /** Every SMS the app sent. */
  sms: CapturingSmsSender;
  /** The secret Better Auth signs with. */
  secret: string;
  /** A supertest agent on the app's HTTP server. */
  http(): TestAgent;
  /** Runs SQL on the suite's database and returns its rows. */
  rows(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * Rate limits far above what any suite sends from 127.0.0.1; a suite that tests a limit sets it
 * low through `env`.
 */
const HIGH_RATE_LIMITS = {
  AUTH_RATE_LIMIT_MAX: '100000',
  AUTH_SIGN_IN_RATE_LIMIT_MAX: '100000',
  AUTH_EMAIL_RATE_LIMIT_MAX: '100000',
  API_RATE_LIMIT_MAX: '100000',
};

/**
 * Starts the app for one suite; call `close()` in `afterAll`. Its configuration is
 * {@link testConfig}'s, with rate limits high ({@link HIGH_RATE_LIMITS}) and `env` over them;
 * mail and SMS are captured. Logs go to `extra.logger`, else nowhere. `extra.databaseUrl` names a migrated database to use instead of a clone (the chaos suites'
 * private server).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  extra: { controllers?: Type[]; databaseUrl?: string; logger?: Logger } = {},
): Promise<TestApp> {
  const database = extra.databaseUrl
    ? {
        url: extra.databaseUrl,
        name: new URL(extra.databaseUrl).pathname.slice(1),
        drop: () => Promise.resolve(),
      }
    : await createTestDatabase();
  const config = testConfig(database.url, { ...HIGH_RATE_LIMITS, ...env });
  const mailer = new CapturingMailer();
  const sms = new CapturingSmsSender();
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, { logger: extra.logger ?? pino({ level: 'silent' }) })],
    controllers: extra.controllers ?? [],
  })
    .overrideProvider(Mailer)
    .useValue(mailer)
    .overrideProvider(SmsSender)
    .useValue(sms)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new AppHttpAdapter(config), {
    ...APP_OPTIONS,
    logger: false,
  });
  recordRoutes(app);
  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const dataSource = app.get(DataSource);
  return {
    app,
    dataSource,
    database,
    mailer,
    sms,
    secret: config.BETTER_AUTH_SECRET,
    http: () => request(app.getHttpServer()),
    rows: (sql, params = []) => dataSource.query<Record<string, unknown>[]>(sql, params),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
