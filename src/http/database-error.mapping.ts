import { HttpStatus } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import {
  PG_CHECK_VIOLATION,
  PG_FOREIGN_KEY_VIOLATION,
  PG_NOT_NULL_VIOLATION,
  PG_RESTRICT_VIOLATION,
  PG_UNIQUE_VIOLATION,
} from '../database/postgres-errors';
import type { FieldError } from './error-body';

/** What the pg driver reports with an error (PostgreSQL docs, "Error Message Fields"). */
interface PostgresErrorFields {
  code?: string;
  column?: string;
  constraint?: string;
  detail?: string;
}

/**
 * The safety net under the services' own checks: a query PostgreSQL refused because of the data
 * a client sent becomes a 4xx instead of a 500. Integrity violations (SQLSTATE class 23) give
 * 409 or 400; data exceptions (class 22: malformed value, value too long) give 400.
 *
 * @returns the status, message and fields, or undefined for any other error (a real 500).
 */
export function mapDatabaseError(
  error: unknown,
): { status: number; message: string; details?: FieldError[] } | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const fields = error.driverError as PostgresErrorFields;
  const field = fields.column ?? /^Key \(([^)]+)\)=/.exec(fields.detail ?? '')?.[1];
  const withField = (status: number, message: string) => ({
    status,
    message,
    ...(field ? { details: [{ field, message }] } : {}),
  });
  switch (fields.code) {
    case PG_UNIQUE_VIOLATION:
      return withField(HttpStatus.CONFLICT, `${field ?? 'value'} is already taken`);
    case PG_FOREIGN_KEY_VIOLATION:
    case PG_RESTRICT_VIOLATION:
      return withField(
        HttpStatus.CONFLICT,
        `${fields.constraint ?? 'a reference'} is not satisfied`,
      );
    case PG_NOT_NULL_VIOLATION:
      return withField(HttpStatus.BAD_REQUEST, `${field ?? 'a value'} must not be null`);
    case PG_CHECK_VIOLATION:
      return withField(
        HttpStatus.BAD_REQUEST,
        `${fields.constraint ?? 'a check'} is not satisfied`,
      );
    default:
      return fields.code?.startsWith('22')
        ? withField(HttpStatus.BAD_REQUEST, `${field ?? 'a value'} is malformed or out of range`)
        : undefined;
  }
}
