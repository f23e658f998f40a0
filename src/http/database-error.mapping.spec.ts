import { QueryFailedError } from 'typeorm';
import { mapDatabaseError } from './database-error.mapping';

const refused = (fields: Record<string, string>) =>
  new QueryFailedError('INSERT ...', [], Object.assign(new Error('refused'), fields));

describe(mapDatabaseError.name, () => {
  it('maps a unique violation to 409 naming the column from the detail', () => {
    expect(
      mapDatabaseError(
        refused({
          code: '23505',
          constraint: 'users_email_key',
          detail: 'Key (email)=(a@b.c) already exists.',
        }),
      ),
    ).toEqual({
      status: 409,
      message: 'email is already taken',
      details: [{ field: 'email', message: 'email is already taken' }],
    });
  });

  it('maps a not-null violation to 400 naming the column', () => {
    expect(mapDatabaseError(refused({ code: '23502', column: 'name' }))).toEqual({
      status: 400,
      message: 'name must not be null',
      details: [{ field: 'name', message: 'name must not be null' }],
    });
  });

  it('maps check and foreign key violations to 400 and 409 naming the constraint', () => {
    expect(mapDatabaseError(refused({ code: '23514', constraint: 'users_email_check' }))).toEqual({
      status: 400,
      message: 'users_email_check is not satisfied',
    });
    expect(
      mapDatabaseError(refused({ code: '23503', constraint: 'sessions_user_id_fkey' })),
    ).toEqual({
      status: 409,
      message: 'sessions_user_id_fkey is not satisfied',
    });
  });

  it('maps a data exception (class 22) to 400', () => {
    expect(mapDatabaseError(refused({ code: '22P02' }))?.status).toBe(400);
    expect(mapDatabaseError(refused({ code: '22001', column: 'name' }))?.details).toEqual([
      { field: 'name', message: 'name is malformed or out of range' },
    ]);
  });

  it('leaves other errors alone, to be answered 500', () => {
    expect(mapDatabaseError(refused({ code: '57P01' }))).toBeUndefined();
    expect(mapDatabaseError(new Error('boom'))).toBeUndefined();
  });

  it('maps a restrict violation (23001, PostgreSQL 18) to 409 like a foreign key violation', () => {
    expect(
      mapDatabaseError(refused({ code: '23001', constraint: 'categories_parent_id_fkey' })),
    ).toEqual({ status: 409, message: 'categories_parent_id_fkey is not satisfied' });
  });

  it('prefers the column PostgreSQL names to the key of the detail', () => {
    expect(
      mapDatabaseError(
        refused({ code: '23505', column: 'name', detail: 'Key (email)=(a@b.c) already exists.' }),
      )?.message,
    ).toBe('name is already taken');
  });

  it('names every column of a composite key, and no field when the detail names no key', () => {
    expect(
      mapDatabaseError(
        refused({ code: '23505', detail: 'Key (user_id, name)=(1, a) already exists.' }),
      ),
    ).toEqual({
      status: 409,
      message: 'user_id, name is already taken',
      details: [{ field: 'user_id, name', message: 'user_id, name is already taken' }],
    });
    expect(
      mapDatabaseError(refused({ code: '23505', detail: 'Failing row: Key (email)=(a@b.c).' })),
    ).toEqual({ status: 409, message: 'value is already taken' });
  });

  it('says what it can when PostgreSQL names neither column nor constraint', () => {
    expect(mapDatabaseError(refused({ code: '23505' }))).toEqual({
      status: 409,
      message: 'value is already taken',
    });
    expect(mapDatabaseError(refused({ code: '23503' }))).toEqual({
      status: 409,
      message: 'a reference is not satisfied',
    });
    expect(mapDatabaseError(refused({ code: '23502' }))).toEqual({
      status: 400,
      message: 'a value must not be null',
    });
    expect(mapDatabaseError(refused({ code: '23514' }))).toEqual({
      status: 400,
      message: 'a check is not satisfied',
    });
    expect(mapDatabaseError(refused({ code: '22P02' }))).toEqual({
      status: 400,
      message: 'a value is malformed or out of range',
    });
  });

  it('leaves a refused query without a SQLSTATE, or of class 42, to be answered 500', () => {
    expect(mapDatabaseError(refused({}))).toBeUndefined();
    expect(mapDatabaseError(refused({ code: '42P01' }))).toBeUndefined();
    expect(mapDatabaseError(refused({ code: '02000' }))).toBeUndefined();
  });
});
