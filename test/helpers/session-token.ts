import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Length of a session token, in characters. */
export const SESSION_TOKEN_LENGTH = 32;

/**
 * A new session token: 32 letters and digits drawn uniformly by the CSPRNG (`crypto.randomInt`),
 * 32 * log2(62) = about 190 bits. The format is Better Auth's (`generateRandomString(32,
 * "a-z", "A-Z", "0-9")`), so sessions made here and there are interchangeable.
 */
export function generateSessionToken(): string {
  let token = '';
  for (let i = 0; i < SESSION_TOKEN_LENGTH; i++) token += ALPHABET[randomInt(ALPHABET.length)];
  return token;
}
