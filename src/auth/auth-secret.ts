import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AppConfig } from '../config/environment';

/**
 * The secret Better Auth signs with: `BETTER_AUTH_SECRET` when set (the environment check makes
 * it required in production). Otherwise, for development, a random one generated on the first
 * start and kept in `better-auth-secret` beside `EMBEDDED_PG_DIR` (in `.data/`, git-ignored,
 * readable by its owner only), so that restarts keep signed-in sessions valid.
 *
 * @returns the secret, 64 hex characters when generated.
 */
export function resolveAuthSecret(
  env: Pick<AppConfig, 'BETTER_AUTH_SECRET' | 'EMBEDDED_PG_DIR'>,
): string {
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  const file = join(dirname(resolve(env.EMBEDDED_PG_DIR)), 'better-auth-secret');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  const secret = randomBytes(32).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
