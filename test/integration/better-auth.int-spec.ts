import { getMigrations } from 'better-auth/db/migration';
import { phoneNumber } from 'better-auth/plugins';
import { Pool } from 'pg';
import { authDatabase, authOptions, authSettings } from '../../src/auth/auth-options';
import { runStatement } from '../../src/migration-tools/scratch-database';
import { CapturingMailer } from '../helpers/capturing-mailer';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { parseConfig } from '../../src/config/environment';

/** The settings of `authOptions`: the defaults, NODE_ENV=test and a secret. */
const SETTINGS = authSettings(
  parseConfig({ NODE_ENV: 'test', BETTER_AUTH_SECRET: 'a'.repeat(32) }),
);

/**
 * What Better Auth's own schema check would create and add on the database (names only), and
 * the warnings it logs (a column of another type, a nullable column for a required field).
 */
async function schemaCheck(url: string, plugins: unknown[] = []) {
  const pool = new Pool({ connectionString: url });
  try {
    const options = authOptions(pool, SETTINGS, new CapturingMailer());
    const warnings: string[] = [];
    // getMigrations reads a database entry, not the adapter that hashes session tokens.
    const { toBeCreated, toBeAdded } = await getMigrations({
      ...options,
      database: authDatabase(pool),
      plugins: [...options.plugins, ...plugins] as typeof options.plugins,
      logger: {
        log: (level, message) => {
          if (level === 'warn' || level === 'error') warnings.push(message);
        },
      },
    });
    return {
      toBeCreated: toBeCreated.map((table) => table.table),
      toBeAdded: toBeAdded.flatMap((table) =>
        Object.keys(table.fields).map((field) => `${table.table}.${field}`),
      ),
      warnings,
    };
  } finally {
    await pool.end();
  }
}

/**
 * Better Auth never migrates: the schema comes from this project's migrations only, and Better
 * Auth's schema check (`getMigrations`), run with the app's configuration, agrees with it.
 */
describe("Better Auth's schema check on the migrated schema", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('finds nothing to create or add, and warns of nothing, with the app configuration (admin plugin on)', async () => {
    const pool = new Pool({ connectionString: database.url });
    const plugins = authOptions(pool, SETTINGS, new CapturingMailer()).plugins;
    await pool.end();
    expect(plugins.map((plugin) => plugin.id)).toEqual([
      'bearer',
      'admin',
      'hashed-session-revocation',
    ]);

    expect(await schemaCheck(database.url)).toEqual({
      toBeCreated: [],
      toBeAdded: [],
      warnings: [],
    });
  });

  it("checks the admin plugin's fields against their snake_case columns, and their types", async () => {
    const broken = await createTestDatabase();
    try {
      await runStatement(
        broken.url,
        `ALTER TABLE auth.users DROP COLUMN ban_expires, DROP COLUMN role,
           ALTER COLUMN banned DROP DEFAULT, ALTER COLUMN banned TYPE text;
         ALTER TABLE auth.sessions DROP COLUMN impersonated_by`,
      );

      expect(await schemaCheck(broken.url)).toEqual({
        toBeCreated: [],
        toBeAdded: ['users.role', 'users.ban_expires', 'sessions.impersonated_by'],
        warnings: [
          'Field banned in table users has a different type in the database. Expected boolean but got text.',
        ],
      });
    } finally {
      await broken.drop();
    }
  });

  it("finds nothing to add for the phone-number plugin's fields either", async () => {
    const plugin = phoneNumber({
      sendOTP: () => undefined,
      schema: {
        user: {
          fields: { phoneNumber: 'phone_number', phoneNumberVerified: 'phone_number_verified' },
        },
      },
    });

    expect(await schemaCheck(database.url, [plugin])).toEqual({
      toBeCreated: [],
      toBeAdded: [],
      warnings: [],
    });
  });

  it("notices a missing table and missing columns, the rate limiter's included", async () => {
    const broken = await createTestDatabase();
    try {
      await runStatement(
        broken.url,
        `ALTER TABLE auth.users DROP COLUMN image; ALTER TABLE auth.verifications RENAME TO old;
         ALTER TABLE auth.rate_limits DROP COLUMN last_request`,
      );

      expect(await schemaCheck(broken.url)).toEqual({
        toBeCreated: ['verifications'],
        toBeAdded: ['users.image', 'rate_limits.last_request'],
        warnings: [],
      });
    } finally {
      await broken.drop();
    }
  });
});
