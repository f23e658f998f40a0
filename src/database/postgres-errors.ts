import { QueryFailedError } from 'typeorm';

/**
 * SQLSTATE codes from the PostgreSQL docs, Appendix A "PostgreSQL Error Codes".
 */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
export const PG_NOT_NULL_VIOLATION = '23502';
/** `lock_timeout` ran out, or a `NOWAIT` lock was taken. */
export const PG_LOCK_NOT_AVAILABLE = '55P03';
/**
 * Raised by `ON DELETE RESTRICT` on PostgreSQL 18; PostgreSQL 15 raises
 * {@link PG_FOREIGN_KEY_VIOLATION} instead (measured), as for NO ACTION.
 */
export const PG_RESTRICT_VIOLATION = '23001';

/**
 * Tells whether `error` is PostgreSQL refusing a row because of the named constraint.
 *
 * @param error anything thrown by a TypeORM query.
 * @param code a SQLSTATE such as {@link PG_UNIQUE_VIOLATION}.
 * @param constraint the constraint name, e.g. `users_email_key`.
 */
export function isConstraintViolation(error: unknown, code: string, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === code && driverError.constraint === constraint;
}
