import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-outage';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });
const wrapped = (error: Error) => new QueryFailedError('SELECT 1', [], error);

describe(isDatabaseUnavailable.name, () => {
  it.each(['57P01', '57P02', '57P03', '57014', '53300', '08006', '08001'])(
    'is true for SQLSTATE %s, bare or wrapped by TypeORM',
    (code) => {
      expect(isDatabaseUnavailable(withCode(code))).toBe(true);
      expect(isDatabaseUnavailable(wrapped(withCode(code)))).toBe(true);
    },
  );

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])(
    'is true for socket error %s',
    (code) => {
      expect(isDatabaseUnavailable(withCode(code))).toBe(true);
    },
  );

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Query read timeout',
    'Client has encountered a connection error and is not queryable',
  ])('is true for pg client error %j', (message) => {
    expect(isDatabaseUnavailable(wrapped(new Error(message)))).toBe(true);
  });

  it("is true for TypeORM's released query runner: its connection failed mid-transaction", () => {
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it('looks into causes and the AggregateError of a host with several addresses', () => {
    expect(isDatabaseUnavailable(new Error('outer', { cause: withCode('ECONNREFUSED') }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')], 'all'))).toBe(true);
  });

  it('is false for errors a retry would not cure', () => {
    expect(isDatabaseUnavailable(wrapped(withCode('23505')))).toBe(false);
    expect(isDatabaseUnavailable(wrapped(withCode('42P01')))).toBe(false);
    expect(isDatabaseUnavailable(wrapped(withCode('55P03')))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
