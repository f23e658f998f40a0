import { createHmac, timingSafeEqual } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';

/**
 * The session token inside a value Better Auth signed: its session cookie, or the
 * `set-auth-token` header of its bearer plugin. Both are `<token>.<signature>`, the signature
 * being the HMAC-SHA-256 of the token keyed with the secret, in base64 (better-call's signed
 * cookies); a cookie arrives URL-encoded. Base64url without padding is accepted too, as the
 * bearer plugin does.
 *
 * The guard calls this on every request, so it does the least work per call (a few
 * microseconds, most of it the HMAC): the HMAC is made of two one-shot hashes with the key padded
 * once per secret ({@link HmacSha256}, cheaper than an `Hmac` object), and encoded straight to the
 * presented alphabet.
 *
 * @param value the signed value, URL-encoded or not.
 * @param secret `BETTER_AUTH_SECRET`.
 * @returns the token, or null when the value is malformed or its signature is not the secret's.
 */
export function unsignToken(value: string, secret: string): string | null {
  const decoded = value.includes('%') ? safeDecode(value) : value;
  if (decoded === null) return null;
  const dot = decoded.lastIndexOf('.');
  if (dot < 1) return null;
  const token = decoded.slice(0, dot);
  const signature = decoded.slice(dot + 1);
  const expected = hmacOf(secret).digest(token, signature.endsWith('=') ? 'base64' : 'base64url');
  // Bytes, not characters: a URL-decoded cookie may hold multi-byte characters, and
  // timingSafeEqual throws on buffers of different lengths.
  const given = Buffer.from(signature);
  if (given.length !== expected.length) return null;
  return timingSafeEqual(given, Buffer.from(expected)) ? token : null;
}

/** Signs a token as Better Auth does (`<token>.<base64 HMAC>`, not URL-encoded). */
export function signToken(token: string, secret: string): string {
  return `${token}.${tokenSignature(token, secret)}`;
}

/** The signature part of {@link signToken}: the token's HMAC-SHA-256 in base64, 44 characters. */
export function tokenSignature(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token).digest('base64');
}

let cachedHmac: { secret: string; hmac: HmacSha256 } | undefined;

/** The HMAC keyed with the secret, made once per secret: the guard checks one per request. */
function hmacOf(secret: string): HmacSha256 {
  if (cachedHmac?.secret !== secret) cachedHmac = { secret, hmac: new HmacSha256(secret) };
  return cachedHmac.hmac;
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
