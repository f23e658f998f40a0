import { HttpStatus } from '@nestjs/common';
import type { ErrorBody } from './error-body';

/** The `Retry-After` of a 503 for a database outage, in seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The body of every 503 for a database outage; it names no host, port or cause. */
export const DATABASE_UNAVAILABLE_BODY: ErrorBody = {
  statusCode: HttpStatus.SERVICE_UNAVAILABLE,
  error: 'Service Unavailable',
  message: 'The database is unavailable; retry later',
};
