import { hashSessionToken } from '../../src/auth/session-token-hash';
import { type Catalog, readCatalog } from '../../src/migration-tools/catalog';
import { MIGRATIONS_TABLE } from '../../src/database/data-source-options';
import type { DataSource } from 'typeorm';
import { type Migrator, openMigrator } from '../../src/migration-tools/migrator';
import { typeormCli } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

/** The whole schema the migrations make, as PostgreSQL's catalog reports it. */
const EXPECTED: Catalog = {
  schemas: ['app', 'auth', 'master', 'public'],
  tables: [
    'app.items table',
    'auth.accounts table',
    'auth.phone_verifications table',
    'auth.rate_limits table',
    'auth.sessions table',
    'auth.users table',
    'auth.verifications table',
    'master.categories table',
    'master.locations table',
    'public.migration_checksums table',
    'public.migration_history table',
    'public.migration_history_id_seq sequence',
  ],
  columns: [
    'app.items.category_id uuid not null default=-',
    'app.items.created_at timestamp with time zone not null default=now()',
    'app.items.deleted_at timestamp with time zone null default=-',
    'app.items.description text null default=-',
    'app.items.id uuid not null default=gen_random_uuid()',
    'app.items.location_id uuid null default=-',
    "app.items.metadata jsonb not null default='{}'::jsonb",
    "app.items.status USER-DEFINED not null default='draft'::app.item_status",
    'app.items.title text not null default=-',
    'app.items.updated_at timestamp with time zone not null default=now()',
    'app.items.user_id uuid not null default=-',
    'auth.accounts.access_token text null default=-',
    'auth.accounts.access_token_expires_at timestamp with time zone null default=-',
    'auth.accounts.account_id text not null default=-',
    'auth.accounts.created_at timestamp with time zone not null default=now()',
    'auth.accounts.id uuid not null default=gen_random_uuid()',
    'auth.accounts.id_token text null default=-',
    'auth.accounts.password text null default=-',
    'auth.accounts.provider_id text not null default=-',
    'auth.accounts.refresh_token text null default=-',
    'auth.accounts.refresh_token_expires_at timestamp with time zone null default=-',
    'auth.accounts.scope text null default=-',
    'auth.accounts.updated_at timestamp with time zone not null default=now()',
    'auth.accounts.user_id uuid not null default=-',
    "auth.phone_verifications.attempts smallint not null default='0'::smallint",
    'auth.phone_verifications.code_hash text not null default=-',
    'auth.phone_verifications.created_at timestamp with time zone not null default=now()',
    'auth.phone_verifications.expires_at timestamp with time zone not null default=-',
    'auth.phone_verifications.id uuid not null default=gen_random_uuid()',
    'auth.phone_verifications.phone_number text not null default=-',
    'auth.phone_verifications.updated_at timestamp with time zone not null default=now()',
    'auth.phone_verifications.user_id uuid null default=-',
    'auth.phone_verifications.verified_at timestamp with time zone null default=-',
    'auth.rate_limits.count integer not null default=-',
    'auth.rate_limits.id uuid not null default=gen_random_uuid()',
    'auth.rate_limits.key text not null default=-',
    'auth.rate_limits.last_request bigint not null default=-',
    'auth.sessions.created_at timestamp with time zone not null default=now()',
    'auth.sessions.expires_at timestamp with time zone not null default=-',
    'auth.sessions.id uuid not null default=gen_random_uuid()',
    'auth.sessions.impersonated_by uuid null default=-',
    'auth.sessions.ip_address text null default=-',
    'auth.sessions.token text not null default=-',
    'auth.sessions.updated_at timestamp with time zone not null default=now()',
    'auth.sessions.user_agent text null default=-',
    'auth.sessions.user_id uuid not null default=-',
    'auth.users.ban_expires timestamp with time zone null default=-',
    'auth.users.ban_reason text null default=-',
    'auth.users.banned boolean not null default=false',
    'auth.users.created_at timestamp with time zone not null default=now()',
    'auth.users.email text not null default=-',
    'auth.users.email_verified boolean not null default=false',
    'auth.users.id uuid not null default=gen_random_uuid()',
    'auth.users.image text null default=-',
    'auth.users.name text not null default=-',
    'auth.users.phone_number text null default=-',
    'auth.users.phone_number_verified boolean not null default=false',
    "auth.users.role text not null default='user'::text",
    'auth.users.updated_at timestamp with time zone not null default=now()',
    'auth.verifications.created_at timestamp with time zone not null default=now()',
    'auth.verifications.expires_at timestamp with time zone not null default=-',
    'auth.verifications.id uuid not null default=gen_random_uuid()',
    'auth.verifications.identifier text not null default=-',
    'auth.verifications.updated_at timestamp with time zone not null default=now()',
    'auth.verifications.value text not null default=-',
    'master.categories.created_at timestamp with time zone not null default=now()',
    'master.categories.id uuid not null default=gen_random_uuid()',
    'master.categories.name text not null default=-',
    'master.categories.parent_id uuid null default=-',
    'master.categories.slug text not null default=-',
    'master.categories.sort_order integer not null default=0',
    'master.categories.updated_at timestamp with time zone not null default=now()',
    'master.locations.code text not null default=-',
    'master.locations.created_at timestamp with time zone not null default=now()',
    'master.locations.id uuid not null default=gen_random_uuid()',
    'master.locations.name text not null default=-',
    'master.locations.parent_id uuid null default=-',
    'master.locations.updated_at timestamp with time zone not null default=now()',
    'public.migration_checksums.applied_at timestamp with time zone not null default=now()',
    'public.migration_checksums.checksum character not null default=-',
    'public.migration_checksums.name character varying not null default=-',
    "public.migration_history.id integer not null default=nextval('migration_history_id_seq'::regclass)",
    'public.migration_history.name character varying not null default=-',
    'public.migration_history.timestamp bigint not null default=-',
  ],
  constraints: [
    'app.items_category_id_fkey FOREIGN KEY (category_id) REFERENCES master.categories(id) ON DELETE RESTRICT',
    'app.items_location_id_fkey FOREIGN KEY (location_id) REFERENCES master.locations(id) ON DELETE SET NULL',
    'app.items_pkey PRIMARY KEY (id)',
    'app.items_title_check CHECK ((length(btrim(title)) > 0))',
    'app.items_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE',
    'auth.accounts_pkey PRIMARY KEY (id)',
    'auth.accounts_provider_id_account_id_key UNIQUE (provider_id, account_id)',
    'auth.accounts_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE',
    'auth.phone_verifications_attempts_check CHECK (((attempts >= 0) AND (attempts <= 5)))',
    "auth.phone_verifications_phone_number_check CHECK ((phone_number ~ '^\\+[1-9][0-9]{1,14}$'::text))",
    'auth.phone_verifications_pkey PRIMARY KEY (id)',
    'auth.phone_verifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE',
    'auth.rate_limits_key_key UNIQUE (key)',
    'auth.rate_limits_pkey PRIMARY KEY (id)',
    'auth.sessions_impersonated_by_fkey FOREIGN KEY (impersonated_by) REFERENCES auth.users(id) ON DELETE CASCADE',
    'auth.sessions_pkey PRIMARY KEY (id)',
    'auth.sessions_token_key UNIQUE (token)',
    'auth.sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE',
    "auth.users_phone_number_check CHECK ((phone_number ~ '^\\+[1-9][0-9]{1,14}$'::text))",
    'auth.users_phone_number_key UNIQUE (phone_number)',
    'auth.users_pkey PRIMARY KEY (id)',
    'auth.verifications_pkey PRIMARY KEY (id)',
    'master.categories_parent_id_check CHECK ((parent_id <> id))',
    'master.categories_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES master.categories(id) ON DELETE RESTRICT',
    'master.categories_pkey PRIMARY KEY (id)',
    "master.categories_slug_check CHECK ((slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text))",
    'master.categories_slug_key UNIQUE (slug)',
    "master.locations_code_check CHECK ((code ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'::text))",
    'master.locations_code_key UNIQUE (code)',
    'master.locations_parent_id_check CHECK (((parent_id IS NULL) = (length(code) = 2)))',
    'master.locations_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES master.locations(id) ON DELETE RESTRICT',
    'master.locations_pkey PRIMARY KEY (id)',
    'public.migration_checksums_pkey PRIMARY KEY (name)',
    'public.migration_history_pkey PRIMARY KEY (id)',
  ],
  indexes: [
    'app.CREATE INDEX items_category_id_idx ON app.items USING btree (category_id)',
    'app.CREATE INDEX items_location_id_idx ON app.items USING btree (location_id)',
    'app.CREATE INDEX items_user_id_created_at_id_idx ON app.items USING btree (user_id, created_at, id)',
    'app.CREATE UNIQUE INDEX items_pkey ON app.items USING btree (id)',
    'auth.CREATE INDEX accounts_user_id_idx ON auth.accounts USING btree (user_id)',
    'auth.CREATE INDEX phone_verifications_phone_number_idx ON auth.phone_verifications USING btree (phone_number)',
    'auth.CREATE INDEX phone_verifications_user_id_idx ON auth.phone_verifications USING btree (user_id)',
    'auth.CREATE INDEX rate_limits_last_request_idx ON auth.rate_limits USING btree (last_request)',
    'auth.CREATE INDEX sessions_expires_at_idx ON auth.sessions USING btree (expires_at)',
    'auth.CREATE INDEX sessions_impersonated_by_idx ON auth.sessions USING btree (impersonated_by)',
    'auth.CREATE INDEX sessions_user_id_idx ON auth.sessions USING btree (user_id)',
    'auth.CREATE INDEX verifications_identifier_idx ON auth.verifications USING btree (identifier)',
    'auth.CREATE UNIQUE INDEX accounts_pkey ON auth.accounts USING btree (id)',
    'auth.CREATE UNIQUE INDEX accounts_provider_id_account_id_key ON auth.accounts USING btree (provider_id, account_id)',
    'auth.CREATE UNIQUE INDEX phone_verifications_pkey ON auth.phone_verifications USING btree (id)',
    'auth.CREATE UNIQUE INDEX rate_limits_key_key ON auth.rate_limits USING btree (key)',
    'auth.CREATE UNIQUE INDEX rate_limits_pkey ON auth.rate_limits USING btree (id)',
    'auth.CREATE UNIQUE INDEX sessions_pkey ON auth.sessions USING btree (id)',
    'auth.CREATE UNIQUE INDEX sessions_token_key ON auth.sessions USING btree (token)',
    'auth.CREATE UNIQUE INDEX users_email_lower_key ON auth.users USING btree (lower(email))',
    'auth.CREATE UNIQUE INDEX users_phone_number_key ON auth.users USING btree (phone_number)',
    'auth.CREATE UNIQUE INDEX users_pkey ON auth.users USING btree (id)',
    'auth.CREATE UNIQUE INDEX verifications_pkey ON auth.verifications USING btree (id)',
    'master.CREATE INDEX categories_parent_id_idx ON master.categories USING btree (parent_id)',
    'master.CREATE INDEX locations_parent_id_idx ON master.locations USING btree (parent_id)',
    'master.CREATE UNIQUE INDEX categories_pkey ON master.categories USING btree (id)',
    'master.CREATE UNIQUE INDEX categories_slug_key ON master.categories USING btree (slug)',
    'master.CREATE UNIQUE INDEX locations_code_key ON master.locations USING btree (code)',
    'master.CREATE UNIQUE INDEX locations_pkey ON master.locations USING btree (id)',
    'public.CREATE UNIQUE INDEX migration_checksums_pkey ON public.migration_checksums USING btree (name)',
    'public.CREATE UNIQUE INDEX migration_history_pkey ON public.migration_history USING btree (id)',
  ],
  enums: ['app.item_status = draft, published, archived'],
  functions: ['auth.set_updated_at()', 'master.categories_refuse_cycle()'],
  triggers: [
    'app.CREATE TRIGGER items_set_updated_at BEFORE UPDATE ON app.items FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at()',
    'auth.CREATE TRIGGER accounts_set_updated_at BEFORE UPDATE ON auth.accounts FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at()',
    'auth.CREATE TRIGGER phone_verifications_set_updated_at BEFORE UPDATE ON auth.phone_verifications FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at()',
    'auth.CREATE TRIGGER sessions_set_updated_at BEFORE UPDATE ON auth.sessions FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at()',
    'auth.CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON auth.users FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at()',
    'auth.CREATE TRIGGER verifications_set_updated_at BEFORE UPDATE ON auth.verifications FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at()',
    'master.CREATE TRIGGER categories_refuse_cycle BEFORE INSERT OR UPDATE OF parent_id ON master.categories FOR EACH ROW WHEN ((new.parent_id IS NOT NULL)) EXECUTE FUNCTION master.categories_refuse_cycle()',
    'master.CREATE TRIGGER categories_set_updated_at BEFORE UPDATE ON master.categories FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at()',
    'master.CREATE TRIGGER locations_set_updated_at BEFORE UPDATE ON master.locations FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at()',
  ],
};

const inPublic = (lines: string[]) => lines.filter((line) => line.startsWith('public.'));

/** What is left once every migration is reverted: the empty history and checksum tables. */
const EMPTY: Catalog = {
  schemas: ['public'],
  tables: inPublic(EXPECTED.tables),
  columns: inPublic(EXPECTED.columns),
  constraints: inPublic(EXPECTED.constraints),
  indexes: inPublic(EXPECTED.indexes),
  enums: [],
  functions: [],
  triggers: [],
};

describe('migrations', () => {
  let database: TestDatabase;
  let migrator: Migrator;
  let dataSource: DataSource;
  const catalog = () => readCatalog(dataSource, EXPECTED.schemas);
  const history = async () =>
    (
      await dataSource.query<{ name: string }[]>(
        `SELECT name FROM public.${MIGRATIONS_TABLE} ORDER BY id`,
      )
    ).map((row) => row.name);
  const checksummed = async () =>
    (
      await dataSource.query<{ name: string }[]>(
        `SELECT name FROM public.migration_checksums ORDER BY name`,
      )
    ).map((row) => row.name);

  const up = async () => (await migrator.run({ transaction: 'each' })).applied;
  const downAll = async () => {
    while ((await history()).length > 0) await migrator.undoLast();
  };

  // Each test starts from an empty database, so that any test runs alone (npx jest -t).
  beforeEach(async () => {
    database = await createTestDatabase({ empty: true });
    migrator = await openMigrator(database.url);
    dataSource = migrator.dataSource;
  });

  afterEach(async () => {
    await migrator?.close();
    await database?.drop();
  });

  it('up on an empty database gives exactly the expected catalog', async () => {
    const applied = await up();

    expect(applied).toEqual(dataSource.migrations.map((migration) => migration.name));
    expect(await history()).toEqual(applied);
    expect(await catalog()).toEqual(EXPECTED);
    expect(await checksummed()).toEqual([...(await history())].sort());
  });

  it('down, one migration at a time, leaves nothing but the empty history table', async () => {
    await up();

    await downAll();

    expect(await catalog()).toEqual(EMPTY);
    expect(await checksummed()).toEqual([]);
  });

  it('up again after down gives the same catalog', async () => {
    await up();
    await downAll();

    await up();

    expect(await catalog()).toEqual(EXPECTED);
  });

  it('leaves no difference between the entities and the database', async () => {
    await up();

    const pending = await dataSource.driver.createSchemaBuilder().log();

    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('migration:generate --check through the CLI finds no difference', async () => {
    await up();

    const { code, stdout } = await typeormCli(
      ['migration:generate', '--check', 'migrations/Unused'],
      { DATABASE_URL: database.url },
    );

    expect(code).toBe(0);
    expect(stdout).toContain('No changes in database schema were found');
  });
});

describe('HashSessionTokens1796100002000', () => {
  const NAME = 'HashSessionTokens1796100002000';
  let database: TestDatabase;
  let migrator: Migrator;
  let dataSource: DataSource;
  const applied = async () =>
    (await dataSource.query<{ name: string }[]>(`SELECT name FROM public.${MIGRATIONS_TABLE}`)).map(
      (row) => row.name,
    );
  const tokens = async () =>
    (
      await dataSource.query<{ token: string }[]>(`SELECT token FROM auth.sessions ORDER BY token`)
    ).map((row) => row.token);

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    migrator = await openMigrator(database.url);
    dataSource = migrator.dataSource;
    await migrator.run({ transaction: 'each' });
    while ((await applied()).includes(NAME)) await migrator.undoLast();
  });

  afterAll(async () => {
    await migrator?.close();
    await database?.drop();
  });

  it('up hashes the stored tokens in place as the app hashes them; down deletes every session', async () => {
    const alreadyHashed = hashSessionToken('written by the new code');
    const raw = ['VIZ42kubA8MYggb5iICQ7xlzpvQsdkI2', 'back\\slash-and-\u00e9'];
    const [user] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO auth.users (email, name) VALUES ('hash@example.com', 'H') RETURNING id`,
    );
    for (const token of [...raw, alreadyHashed]) {
      await dataSource.query(
        `INSERT INTO auth.sessions (user_id, token, expires_at) VALUES ($1, $2, now() + interval '1 hour')`,
        [user!.id, token],
      );
    }

    await migrator.run({ transaction: 'each' });

    expect(await tokens()).toEqual([...raw.map(hashSessionToken), alreadyHashed].sort());

    while ((await applied()).includes(NAME)) await migrator.undoLast();

    expect(await tokens()).toEqual([]);
    expect(await dataSource.query(`SELECT email FROM auth.users`)).toEqual([
      { email: 'hash@example.com' },
    ]);
  });
});
