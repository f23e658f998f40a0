import type { OpenAPIObject } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { AUTH_BASE_PATH } from '../../src/auth/auth-options';
import { Item } from '../../src/items/item.entity';
import { buildOpenApiDocument, serializeOpenApiDocument } from '../../src/openapi/openapi-document';
import { User } from '../../src/users/user.entity';
import { isApiDocsRoute, servedRoutes } from '../helpers/served-routes';
import { createTestApp, type TestApp } from '../helpers/test-app';

const COMMITTED_SPEC = join(__dirname, '../../docs/openapi.json');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of `document` as `METHOD /path`, with the router's `:param` for `{param}`. */
function operations(document: OpenAPIObject): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map(
      (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
    ),
  );
}

describe('OpenAPI spec', () => {
  let sut: TestApp;
  let document: OpenAPIObject;

  beforeAll(async () => {
    sut = await createTestApp();
    document = await buildOpenApiDocument(sut.app);
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('describes every route the app serves, and no other', () => {
    const served = servedRoutes(sut.app).filter((route) => !isApiDocsRoute(route));
    const described = operations(document).filter((route) => !route.includes(AUTH_BASE_PATH));

    expect(described.sort()).toEqual([...new Set(served)].sort());
  });

  it('is the committed docs/openapi.json (npm run openapi writes it)', () => {
    expect(readFileSync(COMMITTED_SPEC, 'utf8')).toBe(serializeOpenApiDocument(document));
  });

  it("includes Better Auth's routes, each of which the app answers", async () => {
    const auth = operations(document).filter((route) => route.includes(AUTH_BASE_PATH));
    expect(auth).toEqual(
      expect.arrayContaining(['POST /api/auth/sign-in/email', 'GET /api/auth/list-sessions']),
    );

    const unknown: string[] = [];
    for (const route of auth) {
      const [method, path] = route.split(' ') as [string, string];
      const response = await sut
        .http()
        [method.toLowerCase() as 'get' | 'post'](path.replace(/:\w+/g, 'x'))
        .set('Origin', 'http://localhost:3000');
      // Better Auth answers an unknown path 404 with no body, a known one with the wrong method 405.
      if ((response.status === 404 && response.text === '') || response.status === 405) {
        unknown.push(`${route}: ${response.status}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('asks for a session except on public routes', () => {
    const security = (path: string, method: 'get' | 'post') =>
      document.paths[path]![method]!.security;
    const session = [{ bearer: [] }, { cookie: [] }];

    expect(document.security).toEqual(session);
    expect(security('/health', 'get')).toEqual([]);
    expect(security('/categories', 'get')).toEqual([]);
    expect(security('/users/me', 'get')).toBeUndefined();
    expect(security('/api/auth/sign-in/email', 'post')).toEqual([]);
    expect(security('/api/auth/list-sessions', 'get')).toEqual(session);
    expect(security('/api/auth/admin/list-users', 'get')).toEqual(session);
  });

  it('gives every error of the app the one error shape', () => {
    const patch = document.paths['/users/{id}']!.patch!;
    for (const status of ['400', '401', '403', '404', '409', '413', '415', '429', '500', '503']) {
      const response = patch.responses[status] as { $ref?: string; content?: unknown };
      const content =
        response.content ??
        document.components!.responses![response.$ref!.split('/').pop()!]!['content' as never];
      expect({ status, content }).toEqual({
        status,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      });
    }
    const rateLimited = (path: string) => document.paths[path]!.get!.responses['429'];
    expect(rateLimited('/categories')).toEqual({ $ref: '#/components/responses/RateLimited' });
    expect(rateLimited('/health')).toBeUndefined();
    expect(document.paths['/users']!.get!.responses['403']).toMatchObject({
      description: 'The user has none of the roles: admin',
    });
    expect(document.components!.schemas!.ErrorBody).toMatchObject({
      required: ['statusCode', 'error', 'message'],
    });
  });

  it('shows every column of the users and items the API answers with', () => {
    const schemas = document.components!.schemas! as Record<string, { properties: object }>;
    const fields = (schema: string) => Object.keys(schemas[schema]!.properties).sort();
    const columns = (entity: EntityTarget<ObjectLiteral>) =>
      sut.dataSource
        .getMetadata(entity)
        .columns.filter((column) => column.isSelect)
        .map((column) => column.propertyName)
        .sort();

    expect(fields('UserResponse')).toEqual(columns(User));
    expect(fields('ItemResponse')).toEqual(columns(Item));
  });

  it('shows the limits of the validated fields', () => {
    const schemas = document.components!.schemas! as Record<
      string,
      { properties: Record<string, unknown>; required?: string[] }
    >;

    expect(schemas.CreateItemDto!.required).toEqual(['title', 'categoryId']);
    expect(schemas.CreateItemDto!.properties.title).toMatchObject({ maxLength: 200 });
    expect(schemas.UpdateUserDto!.properties.email).toMatchObject({
      format: 'email',
      maxLength: 254,
    });
    expect(document.paths['/users']!.get!.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'limit',
          in: 'query',
          schema: expect.objectContaining({ minimum: 1, maximum: 100 }),
        }),
      ]),
    );
  });
});

describe('GET /docs', () => {
  const nodeEnv = process.env.NODE_ENV;
  let sut: TestApp | undefined;

  afterEach(async () => {
    await sut?.close();
    sut = undefined;
    process.env.NODE_ENV = nodeEnv;
  });

  it('serves the Swagger UI and the spec without a session outside production', async () => {
    sut = await createTestApp({ NODE_ENV: 'development' });

    const page = await sut.http().get('/docs').expect(200);
    const spec = await sut.http().get('/docs/openapi.json').expect(200);

    expect(page.text).toContain('swagger-ui');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(spec.body).toEqual(JSON.parse(readFileSync(COMMITTED_SPEC, 'utf8')));
    const api = await sut.http().get('/health');
    expect(api.headers['content-security-policy']).toContain("default-src 'none'");
    expect(api.headers['content-security-policy']).not.toContain('script-src');
  });

  it('answers 404 in production', async () => {
    sut = await createTestApp({ NODE_ENV: 'production' });

    await sut.http().get('/docs').expect(404);
    await sut.http().get('/docs/openapi.json').expect(404);
  });
});
