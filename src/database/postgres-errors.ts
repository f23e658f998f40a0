import { QueryFailedError } from 'typeorm';

/**
 * SQLSTATE codes from the PostgreSQL docs, Appendix A "PostgreSQL Error Codes".
 */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
export const PG_NOT_NULL_VIOLATION = '23502';
/** Raised by `ON DELETE RESTRICT` on PostgreSQL 16 and later (NO ACTION raises 23503). */
export const PG_RESTRICT_VIOLATION = '23001';
/**
 * What `ON DELETE RESTRICT` raises on any supported server: PostgreSQL 15 and older raise
 * {@link PG_FOREIGN_KEY_VIOLATION}, 16 and later {@link PG_RESTRICT_VIOLATION}.
 */
export const PG_RESTRICT_CODES = [PG_RESTRICT_VIOLATION, PG_FOREIGN_KEY_VIOLATION] as const;

/**
 * Tells whether `error` is PostgreSQL refusing a row because of the named constraint.
 *
 * @param error anything thrown by a TypeORM query.
 * @param code a SQLSTATE such as {@link PG_UNIQUE_VIOLATION}, or a list of them.
 * @param constraint the constraint name, e.g. `users_email_key`.
 */
export function isConstraintViolation(
  error: unknown,
  code: string | readonly string[],
  constraint: string,
): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  const codes: readonly string[] = typeof code === 'string' ? [code] : code;
  return codes.includes(driverError.code ?? '') && driverError.constraint === constraint;
}
