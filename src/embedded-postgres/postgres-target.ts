import { resolve } from 'node:path';
import type { AppConfig } from '../config/environment';
import {
  type EmbeddedPostgresOptions,
  type EmbeddedServer,
  startEmbeddedPostgres,
} from './embedded-postgres';

/** The PostgreSQL the process talks to: the one `DATABASE_URL` names, or the embedded one. */
export type PostgresTarget = EmbeddedServer;

/** A server this process does not manage: `stop()` does nothing. */
export function externalPostgres(url: string): PostgresTarget {
  return { url, owned: false, stop: () => Promise.resolve() };
}

/** What a caller may ask of the embedded server (ignored with `DATABASE_URL` set). */
export type EmbeddedServerHooks = Pick<EmbeddedPostgresOptions, 'onLog' | 'onUnexpectedExit'>;

/**
 * Gives the server to use. With `DATABASE_URL` set that server is used as is (`stop()` does
 * nothing); otherwise the embedded PostgreSQL in `EMBEDDED_PG_DIR` is started or joined, with
 * `hooks`.
 *
 * @throws EmbeddedPostgresError when the embedded server cannot start.
 */
export async function openPostgresTarget(
  env: AppConfig,
  hooks: EmbeddedServerHooks = {},
): Promise<PostgresTarget> {
  if (env.DATABASE_URL) return externalPostgres(env.DATABASE_URL);
  return startEmbeddedPostgres({
    dir: resolve(env.EMBEDDED_PG_DIR),
    port: env.EMBEDDED_PG_PORT,
    ...hooks,
  });
}
