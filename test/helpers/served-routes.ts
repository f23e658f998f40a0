import type { NestExpressApplication } from '@nestjs/platform-express';

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
