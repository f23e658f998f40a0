import { PostgresNamingStrategy } from './postgres-naming.strategy';

describe(PostgresNamingStrategy.name, () => {
  const sut = new PostgresNamingStrategy();

  it('names keys, foreign keys and indexes as PostgreSQL does, without the schema', () => {
    expect(sut.primaryKeyName('auth.users')).toBe('users_pkey');
    expect(sut.uniqueConstraintName('auth.users', ['email'])).toBe('users_email_key');
    expect(sut.foreignKeyName('auth.sessions', ['user_id'])).toBe('sessions_user_id_fkey');
    expect(sut.indexName('sessions', ['user_id'])).toBe('sessions_user_id_idx');
    expect(sut.uniqueConstraintName('accounts', ['provider_id', 'account_id'])).toBe(
      'accounts_provider_id_account_id_key',
    );
  });

  it('keeps snake_case table and column names', () => {
    expect(sut.tableName('AccessToken', '')).toBe('access_token');
    expect(sut.columnName('emailVerified', '', [])).toBe('email_verified');
    expect(sut.joinColumnName('user', 'id')).toBe('user_id');
  });

  it('refuses to invent a name for a check constraint', () => {
    expect(() => sut.checkConstraintName('auth.users', 'email <> ')).toThrow(
      /Give the check constraint on users a name/,
    );
  });
});
