import { DataSource, type EntityMetadata } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** The schema's conventions (../shared/CONVENTIONS.md, docs/SCHEMA.md) checked on every entity. */
describe('entity metadata of every table', () => {
  let built: EntityMetadata[];

  beforeAll(async () => {
    const dataSource = new DataSource(dataSourceOptions('postgres://unused@127.0.0.1:1/unused'));
    // initialize() builds the metadata through the public API; the stubs keep it off the network.
    jest.spyOn(dataSource.driver, 'connect').mockResolvedValue();
    jest.spyOn(dataSource.driver, 'afterConnect').mockResolvedValue();
    jest.spyOn(dataSource.driver, 'disconnect').mockResolvedValue();
    built = (await dataSource.initialize()).entityMetadatas;
  });

  it('puts each table in its namespace, with plural snake_case names', () => {
    expect(built.map((metadata) => `${metadata.tablePath} ${metadata.targetName}`).sort()).toEqual([
      'app.items Item',
      'auth.accounts Account',
      'auth.phone_verifications PhoneVerification',
      'auth.rate_limits RateLimit',
      'auth.sessions Session',
      'auth.users User',
      'auth.verifications Verification',
      'master.categories Category',
      'master.locations Location',
    ]);
  });

  it('gives every table a uuid key from gen_random_uuid() and timestamptz created_at/updated_at', () => {
    for (const metadata of built) {
      // Better Auth's rate-limit counters keep their own `last_request` (ms) and are written on
      // every counted request: timestamps would only add work to each of those writes.
      const timestamps = metadata.tableName === 'rate_limits' ? [] : ['created_at', 'updated_at'];
      const column = (name: string) => metadata.findColumnWithDatabaseName(name);
      expect([metadata.tableName, metadata.primaryColumns.map((c) => c.databaseName)]).toEqual([
        metadata.tableName,
        ['id'],
      ]);
      expect([metadata.tableName, column('id')?.type, column('id')?.generationStrategy]).toEqual([
        metadata.tableName,
        'uuid',
        'uuid',
      ]);
      for (const name of timestamps) {
        expect([metadata.tableName, name, column(name)?.type, column(name)?.isNullable]).toEqual([
          metadata.tableName,
          name,
          'timestamptz',
          false,
        ]);
      }
    }
  });

  it('names every foreign key in PostgreSQL style, with the delete rule each relation needs', () => {
    const foreignKeys = built.flatMap((metadata) =>
      metadata.foreignKeys.map(
        (fk) =>
          `${fk.name}: ${metadata.tablePath}(${fk.columnNames.join()}) -> ` +
          `${fk.referencedEntityMetadata.tablePath} ON DELETE ${fk.onDelete}`,
      ),
    );

    expect(foreignKeys.sort()).toEqual([
      'accounts_user_id_fkey: auth.accounts(user_id) -> auth.users ON DELETE CASCADE',
      'categories_parent_id_fkey: master.categories(parent_id) -> master.categories ON DELETE RESTRICT',
      'items_category_id_fkey: app.items(category_id) -> master.categories ON DELETE RESTRICT',
      'items_location_id_fkey: app.items(location_id) -> master.locations ON DELETE SET NULL',
      'items_user_id_fkey: app.items(user_id) -> auth.users ON DELETE CASCADE',
      'locations_parent_id_fkey: master.locations(parent_id) -> master.locations ON DELETE RESTRICT',
      'phone_verifications_user_id_fkey: auth.phone_verifications(user_id) -> auth.users ON DELETE CASCADE',
      'sessions_impersonated_by_fkey: auth.sessions(impersonated_by) -> auth.users ON DELETE CASCADE',
      'sessions_user_id_fkey: auth.sessions(user_id) -> auth.users ON DELETE CASCADE',
    ]);
  });

  it('indexes every foreign key column (PostgreSQL does not), as the first column of an index', () => {
    const unindexed = built.flatMap((metadata) =>
      metadata.foreignKeys
        .map((fk) => fk.columnNames[0]!)
        .filter(
          (column) =>
            !metadata.indices.some((index) => index.columns[0]?.databaseName === column) &&
            !metadata.uniques.some((unique) => unique.columns[0]?.databaseName === column),
        )
        .map((column) => `${metadata.tablePath}.${column}`),
    );

    expect(unindexed).toEqual([]);
  });

  it('names every index and unique constraint <table>_<columns>_idx or _key', () => {
    const names = built.flatMap((metadata) => [
      ...metadata.indices.map((index) => [
        index.name,
        metadata.tableName,
        // An index the migrations own (synchronize: false) may be unique: users_email_lower_key.
        index.synchronize ? 'idx' : '(idx|key)',
      ]),
      ...metadata.uniques.map((unique) => [unique.name, metadata.tableName, 'key']),
    ]);

    for (const [name, table, suffix] of names) {
      expect(name).toMatch(new RegExp(`^${table}_[a-z0-9_]+_${suffix}$`));
    }
  });
});
