import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { originList } from '../config/origin-list';

/** The options of `@fastify/cors`, as `app.enableCors` takes them. */
type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/**
 * CORS for the browser pages of `CORS_ORIGINS`, or `undefined` when it lists none: then the API
 * sends no CORS headers at all. Credentials (the session cookie) are allowed; `set-auth-token`
 * (the bearer plugin's signed token), `Retry-After` and `WWW-Authenticate` are readable by the
 * page. A preflight is remembered 10 minutes.
 */
export function corsOptions(origins: string | undefined): CorsOptions | undefined {
  const allowed = originList(origins);
  if (allowed.length === 0) return undefined;
  return {
    origin: allowed,
    credentials: true,
    // Strings, sent as they are: `@fastify/cors` would join arrays with ", ".
    methods: 'GET,HEAD,POST,PUT,PATCH,DELETE',
    allowedHeaders: 'Authorization,Content-Type',
    exposedHeaders: 'set-auth-token,Retry-After,WWW-Authenticate',
    maxAge: 600,
  };
}
