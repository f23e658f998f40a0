import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import type { DatabaseAvailability } from '../database/database-availability';
import { isDatabaseUnavailable } from '../database/database-outage';
import { mapDatabaseError } from './database-error.mapping';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_BODY } from './database-unavailable';
import type { ErrorBody, FieldError } from './error-body';
import { TooManyRequestsException } from './too-many-requests.exception';

/** What body-parser attaches to the errors it throws (a `status` and a `type`). */
interface BodyParserError {
  status: number;
  type: string;
}

/**
 * Writes every error as an {@link ErrorBody}. HttpExceptions keep their status; body-parser
 * errors become 400 (malformed JSON, field `body`) or 413 (body too large); a
 * {@link TooManyRequestsException} also sets `Retry-After`; a query PostgreSQL
 * refused for its data becomes a 4xx ({@link mapDatabaseError}); a database outage
 * ({@link isDatabaseUnavailable}) is a 503 with `Retry-After`, logged once per outage by
 * `availability`, not per request; anything else is a 500 whose cause is never sent to the
 * client: it is set as `response.err`, which the request's log line carries (one line per failed
 * request, `src/logging/logger.ts`).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  /** @param availability told of each outage; the e2e tests' bare apps may go without. */
  constructor(private readonly availability?: DatabaseAvailability) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (!(exception instanceof HttpException) && isDatabaseUnavailable(exception)) {
      this.availability?.reportDown(exception);
      if (response.headersSent) return;
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      response.status(HttpStatus.SERVICE_UNAVAILABLE).json(DATABASE_UNAVAILABLE_BODY);
      return;
    }
    const body = this.toBody(exception);
    // pino-http logs `response.err`, stack included, in the request's one line.
    if (body.statusCode >= 500) {
      response.err = exception instanceof Error ? exception : new Error(String(exception));
    }
    if (response.headersSent) return;
    if (exception instanceof TooManyRequestsException) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    // The Express adapter wraps body-parser's errors in HttpExceptions; the cause tells which.
    const parserError = exception instanceof HttpException ? exception.cause : exception;
    if (isBodyParserError(parserError)) {
      if (parserError.type === 'entity.too.large') {
        return this.body(HttpStatus.PAYLOAD_TOO_LARGE, 'The request body is too large');
      }
      const message =
        parserError.type === 'entity.parse.failed'
          ? 'body must be valid JSON'
          : `body cannot be read (${parserError.type})`;
      return this.body(parserError.status, message, [{ field: 'body', message }]);
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

  private body(statusCode: number, message: unknown, details?: FieldError[]): ErrorBody {
    return {
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message: typeof message === 'string' ? message : (STATUS_CODES[statusCode] ?? 'Error'),
      ...(details ? { details } : {}),
    };
  }
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as BodyParserError).type === 'string' &&
    typeof (error as BodyParserError).status === 'number' &&
    (error as BodyParserError).status >= 400 &&
    (error as BodyParserError).status < 500
  );
}
