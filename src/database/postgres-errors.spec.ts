import { QueryFailedError } from 'typeorm';
import {
  isConstraintViolation,
  isStillReferenced,
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

describe(isStillReferenced.name, () => {
  it.each([
    ['23001 (restrict_violation, PostgreSQL 18)', '23001'],
    ['23503 (foreign_key_violation, PostgreSQL 15)', '23503'],
  ])('is true for %s on the named foreign key', (_, code) => {
    expect(
      isStillReferenced(refused(code, 'categories_parent_id_fkey'), 'categories_parent_id_fkey'),
    ).toBe(true);
  });

  it('is false for another foreign key or another code', () => {
    expect(
      isStillReferenced(refused('23001', 'items_category_id_fkey'), 'categories_parent_id_fkey'),
    ).toBe(false);
    expect(
      isStillReferenced(refused('23505', 'categories_parent_id_fkey'), 'categories_parent_id_fkey'),
    ).toBe(false);
    expect([PG_RESTRICT_VIOLATION, PG_FOREIGN_KEY_VIOLATION]).toEqual(['23001', '23503']);
  });
});
