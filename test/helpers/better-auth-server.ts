import { createServer } from 'node:http';
import type { BetterAuthOptions } from 'better-auth';
import { PostgresDialect } from 'kysely';
import { Pool } from 'pg';

/**
 * Better Auth on the database that DATABASE_URL names, configured for this project's schema
 * exactly as docs/BETTER-AUTH.md shows, served over HTTP on 127.0.0.1 (a free port) under
 * `/api/auth`. Better Auth and its dependencies are ES modules only, so the tests run it in a
 * child process of its own (`node -r ts-node/register/transpile-only`) instead of inside Jest.
 *
 * Prints one JSON line on stdout once it listens: `{port, toBeCreated, toBeAdded}`, where the
 * last two are what Better Auth's own schema check (`getMigrations`) would create or add:
 * table names, and `table.column` names. Stops on SIGTERM.
 *
 * Environment: DATABASE_URL (required), BETTER_AUTH_SECRET (required, 32 characters or more).
 */
async function main(): Promise<void> {
  const { betterAuth } = await import('better-auth');
  const { bearer } = await import('better-auth/plugins');
  const { toNodeHandler } = await import('better-auth/node');
  const { getMigrations } = await import('better-auth/db/migration');

  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const options = {
    baseURL: `http://127.0.0.1:${port}`,
    secret: process.env.BETTER_AUTH_SECRET,
    database: { dialect: new PostgresDialect({ pool }), type: 'postgres', schemaName: 'auth' },
    advanced: { database: { generateId: 'uuid' } },
    emailAndPassword: { enabled: true },
    plugins: [bearer()],
    user: {
      modelName: 'users',
      fields: { emailVerified: 'email_verified', createdAt: 'created_at', updatedAt: 'updated_at' },
    },
    session: {
      modelName: 'sessions',
      fields: {
        userId: 'user_id',
        expiresAt: 'expires_at',
        ipAddress: 'ip_address',
        userAgent: 'user_agent',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
      },
    },
    account: {
      modelName: 'accounts',
      fields: {
        userId: 'user_id',
        accountId: 'account_id',
        providerId: 'provider_id',
        accessToken: 'access_token',
        refreshToken: 'refresh_token',
        idToken: 'id_token',
        accessTokenExpiresAt: 'access_token_expires_at',
        refreshTokenExpiresAt: 'refresh_token_expires_at',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
      },
    },
    verification: {
      modelName: 'verifications',
      fields: { expiresAt: 'expires_at', createdAt: 'created_at', updatedAt: 'updated_at' },
    },
  } satisfies BetterAuthOptions;

  const auth = betterAuth(options);
  const { toBeCreated, toBeAdded } = await getMigrations(options);
  const handler = toNodeHandler(auth);
  server.on('request', (request, response) => void handler(request, response));
  process.once('SIGTERM', () => {
    server.close();
    void pool.end();
  });
  console.log(
    JSON.stringify({
      port,
      toBeCreated: toBeCreated.map((table) => table.table),
      toBeAdded: toBeAdded.flatMap((table) =>
        Object.keys(table.fields).map((field) => `${table.table}.${field}`),
      ),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
