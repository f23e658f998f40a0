import { Controller, Get, Post } from '@nestjs/common';
import { Public } from '../../src/auth/public.decorator';
import { API_DOCS_PATH } from '../../src/openapi/api-docs';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { isApiDocsRoute, servedRoutes } from '../helpers/served-routes';

/** A controller added after the fact, with no auth decorator at all, and one marked public. */
@Controller('probe')
class ProbeController {
  @Get()
  read(): { ok: boolean } {
    return { ok: true };
  }

  @Post('public')
  @Public()
  open(): { ok: boolean } {
    return { ok: true };
  }
}

/**
 * The routes the app serves anonymously; every other route must answer 401 without a session,
 * but the spec and Swagger UI under `/docs` (outside production), checked by the last test.
 */
const PUBLIC = [
  'GET /health',
  'GET /categories',
  'GET /categories/:slug',
  'GET /locations',
  'GET /locations/:code',
  'POST /probe/public',
];

describe('route protection', () => {
  let sut: TestApp;
  let routes: string[];

  beforeAll(async () => {
    sut = await createTestApp({}, { controllers: [ProbeController] });
    routes = servedRoutes(sut.app);
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('finds the routes of every controller, the one added by this test included', () => {
    expect(routes).toEqual(expect.arrayContaining(['GET /probe', 'GET /sessions/current']));
    expect(routes.length).toBeGreaterThan(20);
  });

  it('answers 401 without a session on every route not marked @Public()', async () => {
    const anonymous: string[] = [];
    for (const route of routes.filter((r) => !PUBLIC.includes(r) && !isApiDocsRoute(r))) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path
        .replace(/:slug/g, 'phones')
        .replace(/:code/g, 'FR')
        .replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');
      const response = await sut
        .http()
        [method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](url)
        .send({});
      if (response.status !== 401) anonymous.push(`${route}: ${response.status}`);
    }

    expect(anonymous).toEqual([]);
  });

  it('serves the public routes without a session', async () => {
    await sut.http().get('/health').expect(200);
    await sut.http().get('/categories').expect(200);
    await sut.http().get('/locations').expect(200);
    await sut.http().post('/probe/public').expect(201, { ok: true });
    await sut.http().get('/probe').expect(401);
  });

  it('serves the API docs without a session outside production', async () => {
    expect(routes.filter(isApiDocsRoute)).toEqual(
      expect.arrayContaining([`GET ${API_DOCS_PATH}`, `GET ${API_DOCS_PATH}/openapi.json`]),
    );
    await sut.http().get(API_DOCS_PATH).expect(200);
    await sut.http().get(`${API_DOCS_PATH}/openapi.json`).expect(200);
  });
});
