import { hash } from 'node:crypto';

/** What `auth.sessions.token` holds: 64 lower-case hexadecimal digits. */
export const SESSION_TOKEN_HASH_PATTERN = /^[0-9a-f]{64}$/;

/**
 * What `auth.sessions.token` stores for a session token: its SHA-256, in lower-case hex, the form
 * PostgreSQL writes as `encode(sha256(convert_to(token, 'UTF8')), 'hex')`. The token itself is
 * never stored, so a copy of the table holds no usable session. A plain hash is enough: tokens
 * are 32 random letters and digits (about 190 bits), far beyond guessing from a hash, so neither a
 * slow hash nor a secret key is needed. Every authenticated request hashes once: Node's one-shot
 * `crypto.hash` (Node 20.12 and later) takes about 1 microsecond, 0.6 less than a `createHash`
 * object.
 */
export function hashSessionToken(token: string): string {
  return hash('sha256', token, 'hex');
}
