import type { OpenAPIObject } from '@nestjs/swagger';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import {
  freshSessionMiddleware,
  sensitiveSessionMiddleware,
  sessionMiddleware,
} from 'better-auth/api';
import { openAPI } from 'better-auth/plugins';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { AUTH_BASE_PATH, authOptions, authSettings } from '../auth/auth-options';
import type { Mailer } from '../auth/mail/mailer';
import { DEFAULT_CONFIG } from '../config/environment';
import { errorResponse } from './error-responses';

type Paths = OpenAPIObject['paths'];
type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

/** The middlewares with which a Better Auth endpoint refuses a request without a session. */
const SESSION_MIDDLEWARES = new Set<unknown>([
  sessionMiddleware,
  sensitiveSessionMiddleware,
  freshSessionMiddleware,
]);

/** Better Auth's component schemas are renamed with this prefix, apart from the app's own. */
const SCHEMA_PREFIX = 'BetterAuth';

const SESSION_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

/** A mailer for an instance that never sends mail. */
const NO_MAIL: Mailer = {
  send: () => Promise.reject(new Error('The OpenAPI instance of Better Auth sends no mail')),
};

/**
 * Better Auth's routes as the app mounts them: the paths and component schemas that Better Auth's
 * `openAPI` plugin generates for {@link authOptions} (the app's own plugins included), with
 *
 * - paths prefixed with `AUTH_BASE_PATH` and schemas with `BetterAuth` (`BetterAuthUser`...);
 * - the app's security schemes: a session (bearer token or cookie) where the endpoint requires
 *   one (Better Auth's session middlewares, and every `/admin/*` endpoint), none elsewhere
 *   (Better Auth marks every endpoint with its bearer scheme);
 * - 500 and 503 in the app's `ErrorBody`, which `withOutageAnswers` sends for them.
 *
 * The instance is built for this alone, with the default settings (no setting changes a route),
 * so that the document is the same on every machine: the plugin is not in the app (it would
 * serve a reference page in production), and the database is an in-memory one, never used.
 */
export async function betterAuthDocument(): Promise<{ paths: Paths; schemas: Schemas }> {
  const defaults = {
    ...DEFAULT_CONFIG,
    BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
  };
  const options = authOptions(new Pool(), authSettings(defaults), NO_MAIL);
  const auth = betterAuth({
    ...options,
    database: memoryAdapter({}),
    plugins: [...options.plugins, openAPI({ disableDefaultReference: true })],
  });
  const generated = await auth.api.generateOpenAPISchema();
  // Better Auth answers POST /get-session with 405 unless `session.deferSessionRefresh` is on.
  if (!('deferSessionRefresh' in options.session)) delete generated.paths['/get-session']?.post;
  const secured = securedOperations(Object.values(auth.api));

  const paths: Paths = {};
  for (const [path, item] of Object.entries(renameSchemaRefs(generated.paths) as Paths)) {
    for (const [method, operation] of Object.entries(item) as [string, Operation][]) {
      operation.security = secured.has(`${method} ${path}`) ? SESSION_SECURITY : [];
      operation.operationId ??= `auth_${method}${path.replace(/\W+/g, '_').replace(/_$/, '')}`;
      operation.tags = (operation.tags ?? []).map((tag) => (tag === 'Default' ? 'Auth' : tag));
      operation.responses[500] = errorResponse('InternalError');
      operation.responses[503] = errorResponse('DatabaseUnavailable');
    }
    paths[`${AUTH_BASE_PATH}${path}`] = item;
  }
  const schemas: Schemas = {};
  for (const [name, schema] of Object.entries(generated.components.schemas)) {
    schemas[`${SCHEMA_PREFIX}${name}`] = renameSchemaRefs(schema) as Schemas[string];
  }
  return { paths, schemas };
}

type Operation = Paths[string]['get'] & object;

interface Endpoint {
  path?: string;
  options?: { method?: string | string[]; use?: unknown[] };
}

/** `<method> <OpenAPI path>` of every endpoint that needs a session. */
function securedOperations(endpoints: Endpoint[]): Set<string> {
  const secured = new Set<string>();
  for (const { path, options } of endpoints) {
    if (!path || !options) continue;
    const needsSession =
      path.startsWith('/admin/') ||
      (options.use ?? []).some((middleware) => SESSION_MIDDLEWARES.has(middleware));
    if (!needsSession) continue;
    const methods = Array.isArray(options.method) ? options.method : [options.method ?? ''];
    const openApiPath = path.replace(/:(\w+)/g, '{$1}');
    for (const method of methods) secured.add(`${method.toLowerCase()} ${openApiPath}`);
  }
  return secured;
}

function renameSchemaRefs(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value).replaceAll(
      '"#/components/schemas/',
      `"#/components/schemas/${SCHEMA_PREFIX}`,
    ),
  );
}
