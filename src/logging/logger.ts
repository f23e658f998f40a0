import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Options } from 'pino-http';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/environment';
import { requestPath } from '../http/request-path';

/**
 * Header paths pino replaces with `[redacted]` wherever a log line carries request or response
 * headers. Request lines carry none (see {@link httpLogOptions}); this is the safety net for a
 * `req` or `res` logged by hand.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["set-auth-token"]',
  'res.headers["set-cookie"]',
  'res.headers["set-auth-token"]',
  'headers.authorization',
  'headers.cookie',
];

/**
 * The key under which pino-http binds each whole request to a child logger that no line is written
 * through (see {@link httpLogOptions}).
 */
const UNUSED_REQUEST_BINDING = 'unusedRequestBinding';

/** An incoming `x-request-id` kept as the request's id: 1 to 128 letters, digits and `._:-`. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The header that carries the request id in and out. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * True when log lines should be pino-pretty's readable text rather than JSON: standard output is a
 * terminal and `NODE_ENV` is not `production`. Piped or redirected output (a container, a file, a
 * log shipper) is always JSON, whatever `NODE_ENV` says.
 */
export function wantsReadableLogs(env: Pick<AppConfig, 'NODE_ENV'>, isTty: boolean): boolean {
  return isTty && env.NODE_ENV !== 'production';
}

/**
 * The process's one pino logger, at `LOG_LEVEL`. Lines go to `destination` when given (tests pass
 * one), else to standard output: readable text when {@link wantsReadableLogs}, JSON lines
 * otherwise. Writes are synchronous, so the lines logged just before the process ends are not lost,
 * however it ends. pino's asynchronous mode (`sync: false`) would save a write per line on a busy
 * server, but it lost lines on an uncaught exception: the write under way when the process died
 * (87 of 2,001 lines in `logger-flush.int-spec.ts`), exactly the lines that explain the crash.
 */
export function createLogger(
  env: Pick<AppConfig, 'LOG_LEVEL' | 'NODE_ENV'>,
  destination?: DestinationStream,
): Logger {
  const stream =
    destination ??
    (wantsReadableLogs(env, process.stdout.isTTY === true)
      ? pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : pino.destination({ fd: 1, sync: true }));
  return pino(
    {
      level: env.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

/**
 * pino-http's options for one line per request, written when the response ends:
 * `reqId`, `method`, `route` (the handler's route pattern, such as `/users/:id`, else the path
 * without its query string, which may hold tokens), `status` and `ms` (latency in milliseconds).
 * No headers and no bodies are logged. The request id is the caller's `x-request-id` when it is
 * sane ({@link SANE_REQUEST_ID}), otherwise a new UUID, and is echoed in the response's
 * `x-request-id`. 5xx answers are logged at `error`, with their cause as `err` (message and
 * stack) when the exception filter set it; the rest at `info`.
 *
 * pino-http also makes, for every request, a child logger bound to the whole request, which it
 * would hand out without `quietReqLogger` and `quietResLogger`; with both, nothing logs through
 * it. That binding gets a key of its own ({@link UNUSED_REQUEST_BINDING}) whose serializer
 * returns nothing, so it costs nothing: with pino's request serializer, each request's headers
 * were copied, serialized to JSON and redacted, half of pino-http's per-request set-up in CPU
 * profiles of `npm run bench -- --http` (docs/PERFORMANCE.md). A `req`, `res` or `err` logged by
 * hand through the request's logger still goes through pino's standard serializers, and
 * {@link REDACTED_PATHS}.
 */
export function httpLogOptions(logger: Logger): Options {
  return {
    logger,
    customAttributeKeys: { req: UNUSED_REQUEST_BINDING },
    // Not wrapped: pino-http's wrapping would run pino's request serializer first, on every request.
    wrapSerializers: false,
    serializers: {
      [UNUSED_REQUEST_BINDING]: () => undefined,
      req: pino.stdSerializers.req,
      res: pino.stdSerializers.res,
      err: pino.stdSerializers.err,
    },
    genReqId: requestId,
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (request, response, value: { responseTime: number }) =>
      requestFields(request, response, value.responseTime),
    // A 5xx's cause, when the exception filter set it as `response.err`, goes in the same line.
    customErrorObject: (request, response, _error, value: { responseTime: number }) => {
      const cause = (response as { err?: unknown }).err;
      return {
        ...requestFields(request, response, value.responseTime),
        ...(cause instanceof Error ? { err: pino.stdSerializers.err(cause) } : {}),
      };
    },
  };
}

function requestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  const id =
    typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * Where `configureApp` puts the route pattern Fastify matched (`/users/:id`) on the Node request,
 * for the request's log line; unset when no route matched.
 */
export const ROUTE_PATTERN = Symbol('routePattern');

/** A Node request, with the route pattern Fastify matched ({@link ROUTE_PATTERN}) and the URL before middleware rewrote it. */
export type RoutedRequest = IncomingMessage & { [ROUTE_PATTERN]?: string; originalUrl?: string };

function requestFields(request: IncomingMessage, response: ServerResponse, ms: number) {
  const routed = request as RoutedRequest;
  return {
    method: request.method,
    route: routed[ROUTE_PATTERN] ?? requestPath(routed),
    status: response.statusCode,
    ms,
  };
}
