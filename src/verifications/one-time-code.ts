import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keyLength: number,
) => Promise<Buffer>;

const KEY_LENGTH = 32;

/** A new one-time code: 6 decimal digits from the CSPRNG, e.g. `042917`. */
export function generateOneTimeCode(): string {
  return randomInt(1_000_000).toString().padStart(6, '0');
}

/**
 * Hashes a one-time code with scrypt (Node's defaults, N = 16384) and a random 16-byte salt, so
 * that the stored hash does not give the code away even to someone who can read the table: a
 * 6-digit code hashed with a fast hash would fall to a million guesses.
 *
 * @returns `scrypt$<salt base64url>$<hash base64url>`.
 */
export async function hashOneTimeCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(code, salt, KEY_LENGTH);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Whether `code` is the one behind `stored` (from {@link hashOneTimeCode}), in constant time. */
export async function oneTimeCodeMatches(code: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(code, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}
