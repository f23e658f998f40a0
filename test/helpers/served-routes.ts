import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_DOCS_PATH } from '../../src/openapi/api-docs';

/** The routes each app registered, recorded by {@link recordRoutes}. */
const recorded = new WeakMap<NestFastifyApplication, string[]>();

/**
 * Records the routes Fastify is given from now on, for {@link servedRoutes}; call it before
 * `configureApp` (which adds the `/docs` routes) and `app.init()` (the controllers' routes).
 * The `HEAD` route Fastify adds beside each `GET` is left out: no controller declares one.
 * Middleware is no route in Fastify, Better Auth's handler included.
 */
export function recordRoutes(app: NestFastifyApplication): void {
  const routes: string[] = [];
  recorded.set(app, routes);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
      }
    });
}

/**
 * The routes the app serves, as `METHOD /path` (e.g. `GET /users/:id`), as recorded by
 * {@link recordRoutes}.
 *
 * @throws Error when the app's routes were not recorded.
 */
export function servedRoutes(app: NestFastifyApplication): string[] {
  const routes = recorded.get(app);
  if (!routes) throw new Error('recordRoutes(app) was not called before the app was configured');
  return [...routes];
}

/**
 * Whether a route of {@link servedRoutes} is one of the spec's and Swagger UI's under `/docs`
 * (outside production): plain Fastify routes, public on purpose, and no part of the API.
 */
export function isApiDocsRoute(route: string): boolean {
  return route.endsWith(` ${API_DOCS_PATH}`) || route.includes(` ${API_DOCS_PATH}/`);
}
