import { DataSource, type EntityMetadata } from 'typeorm';
import { dataSourceOptions } from '../database/data-source-options';
import { Session } from '../sessions/session.entity';
import { User } from './user.entity';

/** Column name, type, nullability and default, as the entity metadata declares them. */
function columns(metadata: EntityMetadata) {
  return Object.fromEntries(
    metadata.columns.map((column) => [
      column.databaseName,
      {
        type: column.type,
        nullable: column.isNullable,
        default: typeof column.default === 'function' ? column.default() : column.default,
        generated: column.generationStrategy,
      },
    ]),
  );
}

describe('entity metadata', () => {
  let users: EntityMetadata;
  let sessions: EntityMetadata;

  beforeAll(async () => {
    const dataSource = new DataSource(dataSourceOptions('postgres://unused@127.0.0.1:1/unused'));
    // initialize() builds the metadata through the public API; the stubs keep it off the network.
    jest.spyOn(dataSource.driver, 'connect').mockResolvedValue();
    jest.spyOn(dataSource.driver, 'afterConnect').mockResolvedValue();
    jest.spyOn(dataSource.driver, 'disconnect').mockResolvedValue();
    const built = (await dataSource.initialize()).entityMetadatas;
    users = built.find((metadata) => metadata.target === User)!;
    sessions = built.find((metadata) => metadata.target === Session)!;
  });

  it('maps User to auth.users with snake_case columns of Better Auth fields', () => {
    expect(users.tablePath).toBe('auth.users');
    expect(columns(users)).toEqual({
      id: { type: 'uuid', nullable: false, default: undefined, generated: 'uuid' },
      email: { type: 'text', nullable: false, default: undefined, generated: undefined },
      email_verified: { type: 'boolean', nullable: false, default: false, generated: undefined },
      name: { type: 'text', nullable: false, default: undefined, generated: undefined },
      image: { type: 'text', nullable: true, default: undefined, generated: undefined },
      phone_number: { type: 'text', nullable: true, default: undefined, generated: undefined },
      phone_number_verified: {
        type: 'boolean',
        nullable: false,
        default: false,
        generated: undefined,
      },
      created_at: { type: 'timestamptz', nullable: false, default: 'now()', generated: undefined },
      updated_at: { type: 'timestamptz', nullable: false, default: 'now()', generated: undefined },
      role: { type: 'text', nullable: false, default: 'user', generated: undefined },
      banned: { type: 'boolean', nullable: false, default: false, generated: undefined },
      ban_reason: { type: 'text', nullable: true, default: undefined, generated: undefined },
      ban_expires: {
        type: 'timestamptz',
        nullable: true,
        default: undefined,
        generated: undefined,
      },
    });
  });

  it('names the constraints of users in PostgreSQL style', () => {
    expect(
      users.uniques.map((unique) => [unique.name, unique.columns.map((c) => c.databaseName)]),
    ).toEqual([['users_phone_number_key', ['phone_number']]]);
    expect(users.checks.map((check) => [check.name, check.expression])).toEqual([
      ['users_phone_number_check', "phone_number ~ '^\\+[1-9][0-9]{1,14}$'"],
    ]);
    // The unique index on lower(email) is the migrations' own: TypeORM must leave it alone.
    expect(
      users.indices.map((index) => [index.name, index.isUnique, index.synchronize]),
    ).toContainEqual(['users_email_lower_key', false, false]);
  });

  it('maps Session to auth.sessions with snake_case columns of Better Auth fields', () => {
    expect(sessions.tablePath).toBe('auth.sessions');
    expect(columns(sessions)).toEqual({
      id: { type: 'uuid', nullable: false, default: undefined, generated: 'uuid' },
      user_id: { type: 'uuid', nullable: false, default: undefined, generated: undefined },
      token: { type: 'text', nullable: false, default: undefined, generated: undefined },
      expires_at: {
        type: 'timestamptz',
        nullable: false,
        default: undefined,
        generated: undefined,
      },
      ip_address: { type: 'text', nullable: true, default: undefined, generated: undefined },
      user_agent: { type: 'text', nullable: true, default: undefined, generated: undefined },
      impersonated_by: { type: 'uuid', nullable: true, default: undefined, generated: undefined },
      created_at: { type: 'timestamptz', nullable: false, default: 'now()', generated: undefined },
      updated_at: { type: 'timestamptz', nullable: false, default: 'now()', generated: undefined },
    });
  });

  it('deletes sessions with their user, and with the admin who impersonated, through named, cascading foreign keys', () => {
    expect(
      sessions.foreignKeys.map((fk) => [
        fk.name,
        fk.columnNames,
        fk.referencedEntityMetadata.target,
        fk.onDelete,
      ]),
    ).toEqual([
      ['sessions_user_id_fkey', ['user_id'], User, 'CASCADE'],
      ['sessions_impersonated_by_fkey', ['impersonated_by'], User, 'CASCADE'],
    ]);
    const relation = sessions.findRelationWithPropertyPath('user')!;
    expect(relation.isManyToOne).toBe(true);
    expect(relation.inverseRelation?.propertyName).toBe('sessions');
    expect(users.findRelationWithPropertyPath('sessions')?.isOneToMany).toBe(true);
  });

  it('indexes sessions.user_id, expires_at and impersonated_by, and makes the token unique', () => {
    expect(
      sessions.indices.map((index) => [index.name, index.columns.map((c) => c.databaseName)]),
    ).toEqual([
      ['sessions_user_id_idx', ['user_id']],
      ['sessions_expires_at_idx', ['expires_at']],
      ['sessions_impersonated_by_idx', ['impersonated_by']],
    ]);
    expect(sessions.uniques.map((unique) => unique.name)).toEqual(['sessions_token_key']);
  });
});
