import type { NestExpressApplication } from '@nestjs/platform-express';

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/**
 * The routes the app's Express router serves, as `METHOD /path` (e.g. `GET /users/:id`). Module
 * middleware, which Nest mounts as a route on `{/*splat}` for every method (nestjs-pino's), answers
 * nothing and is left out; so is Better Auth's handler, which is middleware too.
 */
export function servedRoutes(app: NestExpressApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  return express.router.stack.flatMap((layer) =>
    layer.route && !layer.route.path.includes('*')
      ? Object.keys(layer.route.methods).map(
          (method) => `${method.toUpperCase()} ${layer.route!.path}`,
        )
      : [],
  );
}
