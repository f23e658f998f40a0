import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES, type IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { DatabaseAvailability } from '../database/database-availability';
import { isDatabaseUnavailable } from '../database/database-outage';
import { mapDatabaseError } from './database-error.mapping';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_BODY } from './database-unavailable';
import type { ErrorBody, FieldError } from './error-body';
import { hasBody, UNSUPPORTED_MEDIA_TYPE } from './json-bodies';
import { TooManyRequestsException } from './too-many-requests.exception';

/** The HTTP adapter, through which the filter answers whatever response object it is given. */
type HttpAdapter = HttpAdapterHost['httpAdapter'];

/** What Fastify's errors carry: a `code` (`FST_ERR_...`) and a `statusCode`. */
interface FastifyError {
  code: string;
  statusCode: number;
}

/** The request as the filter reads it: Fastify's, or Node's when a middleware failed. */
interface ReadRequest {
  headers: IncomingHttpHeaders;
  body?: unknown;
}

/**
 * Writes every error as an {@link ErrorBody}, through the HTTP adapter (a Fastify reply, or the
 * Node response a middleware failed on). HttpExceptions keep their status; errors of reading the
 * body become 400 (malformed JSON, field `body`), 413 (over `BODY_LIMIT_BYTES`) or 415 (a type no
 * parser takes, field `content-type`); a {@link TooManyRequestsException} also sets `Retry-After`;
 * a query PostgreSQL refused for its data becomes a 4xx ({@link mapDatabaseError}); a database
 * outage ({@link isDatabaseUnavailable}) is a 503 with `Retry-After`, logged once per outage by
 * `availability`, not per request; anything else is a 500 whose cause is never sent to the
 * client: it is set as `err` on the Node response, which the request's log line carries (one line
 * per failed request, `src/logging/logger.ts`).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  /**
   * @param adapter writes the answers (`app.getHttpAdapter()`).
   * @param availability told of each outage; the e2e tests' bare apps may go without.
   */
  constructor(
    private readonly adapter: HttpAdapter,
    private readonly availability?: DatabaseAvailability,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<object>();
    if (!(exception instanceof HttpException) && isDatabaseUnavailable(exception)) {
      this.availability?.reportDown(exception);
      if (this.adapter.isHeadersSent(response)) return;
      this.adapter.setHeader(response, 'Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      this.adapter.reply(response, DATABASE_UNAVAILABLE_BODY, HttpStatus.SERVICE_UNAVAILABLE);
      return;
    }
    const body = this.toBody(exception, http.getRequest<ReadRequest>());
    // pino-http logs `err` of the Node response, stack included, in the request's one line.
    if (body.statusCode >= 500) {
      const raw =
        response instanceof ServerResponse ? response : (response as { raw?: object }).raw;
      if (raw) {
        (raw as { err?: Error }).err =
          exception instanceof Error ? exception : new Error(String(exception));
      }
    }
    if (this.adapter.isHeadersSent(response)) return;
    if (exception instanceof TooManyRequestsException) {
      this.adapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    }
    this.adapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown, request: ReadRequest | undefined): ErrorBody {
    // The Fastify adapter wraps its own 4xx errors in HttpExceptions; the cause tells which.
    const cause = exception instanceof HttpException ? exception.cause : exception;
    if (isFastifyError(cause)) {
      const fromParser = this.parserErrorBody(cause);
      if (fromParser) return fromParser;
    }
    // A JSON parser's SyntaxError, from the body of a request no handler has seen yet.
    if (
      exception instanceof SyntaxError &&
      request?.body === undefined &&
      request?.headers !== undefined &&
      hasBody(request.headers)
    ) {
      return this.bodyError(HttpStatus.BAD_REQUEST, 'body must be valid JSON');
    }
    if (exception instanceof HttpException) {
      const payload = exception.getResponse();
      const { message, details } =
        typeof payload === 'string'
          ? { message: payload, details: undefined }
          : (payload as { message?: unknown; details?: FieldError[] });
      return this.body(
        exception.getStatus(),
        Array.isArray(message) ? message.join('; ') : message,
        details,
      );
    }
    const fromDatabase = mapDatabaseError(exception);
    if (fromDatabase) {
      return this.body(fromDatabase.status, fromDatabase.message, fromDatabase.details);
    }
    return this.body(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }

  /** The answer to an error of Fastify's reading the body, `undefined` for any other error. */
  private parserErrorBody(error: FastifyError): ErrorBody | undefined {
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return this.body(HttpStatus.PAYLOAD_TOO_LARGE, 'The request body is too large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return this.body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_MEDIA_TYPE, [
          { field: 'content-type', message: UNSUPPORTED_MEDIA_TYPE },
        ]);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return this.bodyError(HttpStatus.BAD_REQUEST, 'body must be valid JSON');
      default:
        return error.code.startsWith('FST_ERR_CTP_') && error.statusCode < 500
          ? this.bodyError(error.statusCode, `body cannot be read (${error.code})`)
          : undefined;
    }
  }

  private bodyError(statusCode: number, message: string): ErrorBody {
    return this.body(statusCode, message, [{ field: 'body', message }]);
  }

  private body(statusCode: number, message: unknown, details?: FieldError[]): ErrorBody {
    return {
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message: typeof message === 'string' ? message : (STATUS_CODES[statusCode] ?? 'Error'),
      ...(details ? { details } : {}),
    };
  }
}

function isFastifyError(error: unknown): error is FastifyError {
  return (
    error instanceof Error &&
    typeof (error as Partial<FastifyError>).code === 'string' &&
    (error as unknown as FastifyError).code.startsWith('FST_') &&
    typeof (error as Partial<FastifyError>).statusCode === 'number'
  );
}
