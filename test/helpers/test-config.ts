import { randomBytes } from 'node:crypto';
import type { ServingConfig } from '../../src/app.module';
import { parseConfig } from '../../src/config/environment';

/**
 * The configuration a suite gives the app or a module: the environment the tests run in (CI sets
 * `DATABASE_PREPARED_STATEMENTS=false` behind PgBouncer that way), the scheduled session clean-up
 * off, a random Better Auth secret, then `vars` over those; the database is `databaseUrl`.
 * Nothing is written to `process.env`, so one suite's settings never reach the next app.
 *
 * @throws EnvironmentError when `vars` (or the environment) holds a malformed value.
 */
export function testConfig(
  databaseUrl: string,
  vars: Record<string, string | undefined> = {},
): ServingConfig {
  const secret = randomBytes(32).toString('hex');
  const config = parseConfig({
    ...process.env,
    SESSION_CLEANUP_INTERVAL_SECONDS: '0',
    BETTER_AUTH_SECRET: secret,
    ...vars,
  });
  return {
    ...config,
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: config.BETTER_AUTH_SECRET ?? secret,
  };
}
