import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { validateEnvironment } from '../../src/config/environment';
import { configureApp } from '../../src/http/configure-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The whole app, configured as `main.ts` does, on a migrated database of the suite's own. */
export interface TestApp {
  app: NestExpressApplication;
  dataSource: DataSource;
  database: TestDatabase;
  /** A supertest agent on the app's HTTP server. */
  http(): TestAgent;
  /** Runs SQL on the suite's database and returns its rows. */
  rows(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * Starts the app for one suite; call `close()` in `afterAll`. The scheduled session clean-up is
 * off (`SESSION_CLEANUP_INTERVAL_SECONDS=0`) unless `env` turns it on.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  Object.assign(process.env, { SESSION_CLEANUP_INTERVAL_SECONDS: '0' }, env, {
    DATABASE_URL: database.url,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot()] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  configureApp(app, validateEnvironment(process.env));
  await app.init();
  const dataSource = app.get(DataSource);
  return {
    app,
    dataSource,
    database,
    http: () => request(app.getHttpServer()),
    rows: (sql, params = []) => dataSource.query<Record<string, unknown>[]>(sql, params),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
