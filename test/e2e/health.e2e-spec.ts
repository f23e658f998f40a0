import request from 'supertest';
import { runStatement } from '../../src/migration-tools/scratch-database';
import { ADMIN_URL_VAR } from '../helpers/test-database';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('GET /health', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('answers 200 with the database up', async () => {
    const response = await request(sut.app.getHttpServer()).get('/health').expect(200);

    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('answers 503 when the database refuses connections', async () => {
    const adminUrl = process.env[ADMIN_URL_VAR]!;
    const name = sut.database.name;
    await runStatement(adminUrl, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await runStatement(
      adminUrl,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`,
    );

    const response = await request(sut.app.getHttpServer()).get('/health').expect(503);

    // Only up or down: terminus's message names the database (and, for a refused connection,
    // the server's address), which an anonymous caller must not learn.
    expect(response.body).toEqual({
      status: 'error',
      info: {},
      error: { database: { status: 'down' } },
      details: { database: { status: 'down' } },
    });
    expect(response.headers['retry-after']).toBe('5');
    await runStatement(adminUrl, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
  });
});
