import { QueryFailedError } from 'typeorm';
import {
  isConstraintViolation,
  PG_FOREIGN_KEY_VIOLATION,
  PG_RESTRICT_VIOLATION,
  PG_UNIQUE_VIOLATION,
} from './postgres-errors';

/*
 * The codes are PostgreSQL's (Appendix A, "PostgreSQL Error Codes"), written out here rather
 * than taken from the module, so a wrong constant fails.
 */
const refused = (code: string, constraint: string) =>
  new QueryFailedError('DELETE ...', [], Object.assign(new Error('refused'), { code, constraint }));

describe(isConstraintViolation.name, () => {
  it('is true for a query refused with that code by that constraint', () => {
    expect(
      isConstraintViolation(refused('23505', 'users_email_key'), '23505', 'users_email_key'),
    ).toBe(true);
    expect(PG_UNIQUE_VIOLATION).toBe('23505');
  });

  it('is false for another code, another constraint, or an error that is not a refused query', () => {
    const error = refused('23505', 'users_email_key');
    expect(isConstraintViolation(error, '23503', 'users_email_key')).toBe(false);
    expect(isConstraintViolation(error, '23505', 'users_pkey')).toBe(false);
    const plain = Object.assign(new Error('refused'), {
      code: '23505',
      constraint: 'users_email_key',
    });
    expect(isConstraintViolation(plain, '23505', 'users_email_key')).toBe(false);
  });
});

describe('SQLSTATE codes', () => {
  it("are PostgreSQL's: a refused delete is 23001 on PostgreSQL 18 and 23503 on 15", () => {
    expect([PG_RESTRICT_VIOLATION, PG_FOREIGN_KEY_VIOLATION]).toEqual(['23001', '23503']);
  });
});
