import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { requestPath } from './request-path';

/** The methods whose requests carry a body this API reads. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `application/json` and the structured-syntax `+json` types (RFC 6839), such as `merge-patch+json`. */
const JSON_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/;

/** The message of a 415: a body that is not JSON. */
export const UNSUPPORTED_MEDIA_TYPE = 'Content-Type must be application/json';

/**
 * Whether a `Content-Type` header names JSON, parameters (`; charset=utf-8`) aside: exactly
 * `application/json`, or also a `+json` type when `suffixed` is true.
 */
export function isJsonContentType(contentType: string | undefined, suffixed: boolean): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  const type = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return suffixed ? JSON_TYPE.test(type) : type === 'application/json';
}

/** Whether a request has a body: a `Content-Type`, chunked transfer or a non-zero length. */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['content-type'] !== undefined || headers['transfer-encoding'] !== undefined) {
    return true;
  }
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * Middleware (on Node's request and response, as `@fastify/middie` runs it) that refuses, with
 * 415 naming `content-type`, a `POST`, `PUT`, `PATCH` or `DELETE` whose body is not JSON, before
 * Fastify reads any body. Under `authBasePath` (Better Auth, which reads only `application/json`
 * there) a `+json` type is refused too. An HTML form can post `application/x-www-form-urlencoded`,
 * `multipart/form-data` or `text/plain` cross-site without a CORS preflight; JSON cannot be sent
 * that way, so this closes that CSRF path for every route.
 */
export function jsonBodiesOnly(authBasePath: string) {
  const authPrefix = `${authBasePath}/`;
  return (
    request: IncomingMessage & { originalUrl?: string },
    _response: ServerResponse,
    next: (error?: unknown) => void,
  ): void => {
    if (!BODY_METHODS.has(request.method ?? '') || !hasBody(request.headers)) return next();
    const path = requestPath(request);
    const suffixed = path !== authBasePath && !path.startsWith(authPrefix);
    if (isJsonContentType(request.headers['content-type'], suffixed)) return next();
    next(
      new UnsupportedMediaTypeException({
        message: UNSUPPORTED_MEDIA_TYPE,
        details: [{ field: 'content-type', message: UNSUPPORTED_MEDIA_TYPE }],
      }),
    );
  };
}
