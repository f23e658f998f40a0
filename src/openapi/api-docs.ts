import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildOpenApiDocument } from './openapi-document';

/** Where the Swagger UI is served; the spec is at `<path>/openapi.json`. */
export const API_DOCS_PATH = '/docs';

/**
 * What the Swagger UI page needs: its own scripts, styles (one inline `<style>`) and images, and
 * the spec, fetched from this origin. The rest of the API keeps `default-src 'none'`.
 */
const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the Swagger UI at `/docs` and the spec at `/docs/openapi.json`: the document of
 * {@link buildOpenApiDocument} for this app, built on the first request. Plain Fastify routes, so
 * no guard runs: no session needed. For development only: `configureApp` leaves them out in
 * production. Call it after the security headers are set, whose CSP it relaxes under `/docs`.
 */
export function serveApiDocs(app: NestFastifyApplication): void {
  let document: Promise<OpenAPIObject> | undefined;
  app.use(API_DOCS_PATH, docsSecurityPolicy);
  // The UI needs a document at once, but ours is built asynchronously (Better Auth's part):
  // every request patches this stand-in with the real one.
  const standIn: OpenAPIObject = { openapi: '3.0.0', info: { title: '', version: '' }, paths: {} };
  SwaggerModule.setup(API_DOCS_PATH, app, standIn, {
    raw: ['json'],
    jsonDocumentUrl: `${API_DOCS_PATH}/openapi.json`,
    patchDocumentOnRequest: () => (document ??= buildOpenApiDocument(app)),
  });
}

function docsSecurityPolicy(
  _request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
): void {
  response.setHeader('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
  next();
}
