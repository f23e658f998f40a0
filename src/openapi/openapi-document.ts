import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IS_PUBLIC } from '../auth/public.decorator';
import { ROLES } from '../auth/roles.decorator';
import type { Role } from '../auth/roles';
import { ErrorBody } from '../http/error-body';
import { betterAuthDocument } from './better-auth-document';
import { ERROR_CONTENT, ERROR_RESPONSES, errorResponse } from './error-responses';
import { sortKeys } from './sort-keys';

type Operation = OpenAPIObject['paths'][string]['get'] & object;
type Responses = Operation['responses'];

/** What the app's own guards decide for one handler: how the spec describes its errors. */
interface HandlerRules {
  isPublic: boolean;
  roles: Role[] | undefined;
  throttled: boolean;
}

/** `@nestjs/throttler`'s metadata key of `@SkipThrottle()` for its default throttler. */
const SKIP_DEFAULT_THROTTLER = 'THROTTLER:SKIPdefault';

/** The session cookie's name outside production (`__Secure-` prefixed in production). */
const SESSION_COOKIE = 'better-auth.session_token';

const UNSAFE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The OpenAPI 3.0 document of the whole API, as `npm run openapi` writes it to
 * `docs/openapi.json` and `/docs` serves it outside production:
 *
 * - every route of `app` (its controllers, read by `@nestjs/swagger` from the DTOs' and the
 *   responses' `@ApiProperty` decorators), each with the auth it needs: none for `@Public()`
 *   routes, else a Better Auth session as a bearer token or the session cookie;
 * - on each route, the errors the app's own layers answer, in the one {@link ErrorBody} shape: 400
 *   (input), 401 (session), 403 (roles; a cookie from an untrusted origin), 413 and 415 (bodies),
 *   429 (rate limit), 500 and 503 (database unavailable), besides each route's own (`@ApiError`);
 * - Better Auth's routes under `/api/auth`, from its `openAPI` plugin ({@link betterAuthDocument}).
 *
 * Needs no database: `app` may be created in preview mode. No server URL: the document is the
 * same on every machine. Keys are sorted, so that the written file is stable.
 *
 * @throws Error when an operation cannot be traced back to its controller method.
 */
export async function buildOpenApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  const config = new DocumentBuilder()
    .setTitle('nest-auth-db')
    .setDescription(
      'Users, sessions, items and reference data on NestJS and PostgreSQL, signed in through ' +
        'Better Auth (`/api/auth`). Send the session as `Authorization: Bearer <token>` (the ' +
        '`set-auth-token` header of sign-in) or as the session cookie. Every 4xx and 5xx of the ' +
        "app's own routes has the body `ErrorBody`; Better Auth's routes answer with its own.",
    )
    .setVersion('1.0.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        // Not a JWT, as DocumentBuilder assumes: Better Auth's opaque token, signed or not.
        bearerFormat: undefined,
        description: 'The session token, or the `set-auth-token` value `<token>.<signature>`',
      },
      'bearer',
    )
    .addCookieAuth(
      SESSION_COOKIE,
      {
        type: 'apiKey',
        in: 'cookie',
        description: `The signed session cookie; \`__Secure-${SESSION_COOKIE}\` in production`,
      },
      'cookie',
    )
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('cookie')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorBody],
    operationIdFactory: (controller, method) => `${controller}_${method}`,
  });
  const rules = handlerRules(app);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const handler = rules.get(operation.operationId ?? '');
      if (!handler) throw new Error(`No controller method for ${method.toUpperCase()} ${path}`);
      describeCommonErrors(operation, method, handler);
    }
  }

  const betterAuth = await betterAuthDocument();
  Object.assign(document.paths, betterAuth.paths);
  Object.assign(document.components!.schemas!, betterAuth.schemas);
  document.components!.responses = ERROR_RESPONSES;
  delete document.servers;
  delete document.tags;
  delete document.info.contact;
  return sortKeys(document);
}

/** The {@link HandlerRules} of every controller method, by `<Controller>_<method>`. */
function handlerRules(app: INestApplication): Map<string, HandlerRules> {
  const reflector = new Reflector();
  const rules = new Map<string, HandlerRules>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const targets = [handler, controller];
        rules.set(`${controller.name}_${name}`, {
          isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
          roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets),
          throttled: !reflector.getAllAndOverride<boolean>(SKIP_DEFAULT_THROTTLER, targets),
        });
      }
    }
  }
  return rules;
}

/** Adds the errors of the app's global pipe, guards and filter (see `configureApp`). */
function describeCommonErrors(operation: Operation, method: string, rules: HandlerRules): void {
  if (rules.isPublic) operation.security = [];
  const hasBody = operation.requestBody !== undefined;
  const responses: Responses = operation.responses;
  const add = (status: number, response: Responses[string]) => {
    responses[status] ??= response;
  };
  if (hasBody || (operation.parameters ?? []).length > 0) add(400, errorResponse('InvalidInput'));
  if (!rules.isPublic) {
    add(401, errorResponse('NoSession'));
    const forbidden = [
      ...(rules.roles ? [`The user has none of the roles: ${rules.roles.join(', ')}`] : []),
      ...(UNSAFE_METHODS.has(method)
        ? ['A cookie-authenticated request from an untrusted Origin (details: `origin`)']
        : []),
    ];
    if (forbidden.length > 0)
      add(403, { description: forbidden.join('; '), content: ERROR_CONTENT });
  }
  if (hasBody) {
    add(413, errorResponse('BodyTooLarge'));
    add(415, errorResponse('NotJson'));
  }
  if (rules.throttled) add(429, errorResponse('RateLimited'));
  add(500, errorResponse('InternalError'));
  add(503, errorResponse('DatabaseUnavailable'));
}

/** The document as `docs/openapi.json` holds it: indented JSON, ASCII only, with a final newline. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  const json = JSON.stringify(document, null, 2).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${json}\n`;
}
