import type { NestExpressApplication } from '@nestjs/platform-express';
import { API_DOCS_PATH } from '../../src/openapi/api-docs';

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/**
 * The routes the app's Express router serves, as `METHOD /path` (e.g. `GET /users/:id`). Module
 * middleware, which Nest mounts as a route for every HTTP method (nestjs-pino's, on `{/*splat}` and
 * on the paths kept out of a global prefix), answers nothing and is left out: a controller's
 * handler is a route of one method. So is Better Auth's handler, which is plain middleware.
 */
export function servedRoutes(app: NestExpressApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  return express.router.stack.flatMap((layer) =>
    layer.route && Object.keys(layer.route.methods).length === 1
      ? Object.keys(layer.route.methods).map(
          (method) => `${method.toUpperCase()} ${layer.route!.path}`,
        )
      : [],
  );
}

/**
 * Whether a route of {@link servedRoutes} is one of the spec's and Swagger UI's under `/docs`
 * (outside production): plain Express routes, public on purpose, and no part of the API.
 */
export function isApiDocsRoute(route: string): boolean {
  return route.endsWith(` ${API_DOCS_PATH}`) || route.includes(` ${API_DOCS_PATH}/`);
}
