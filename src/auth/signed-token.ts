import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/**
 * The session token inside a value Better Auth signed: its session cookie, or the
 * `set-auth-token` header of its bearer plugin. Both are `<token>.<signature>`, the signature
 * being the HMAC-SHA-256 of the token keyed with the secret, in base64 (better-call's signed
 * cookies); a cookie arrives URL-encoded. Base64url without padding is accepted too, as the
 * bearer plugin does.
 *
 * The guard calls this on every request, so it does the least work per call (about 3
 * microseconds, most of it the HMAC): the key is made once per secret, and the HMAC is encoded
 * straight to the presented alphabet (`digest('base64')` rather than a Buffer then `toString`,
 * which cost about 1 microsecond more).
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
  const expected = createHmac('sha256', hmacKey(secret))
    .update(token)
    .digest(signature.endsWith('=') ? 'base64' : 'base64url');
  if (signature.length !== expected.length) return null;
  return timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) ? token : null;
}

/** Signs a token as Better Auth does (`<token>.<base64 HMAC>`, not URL-encoded). */
export function signToken(token: string, secret: string): string {
  return `${token}.${tokenSignature(token, secret)}`;
}

/** The signature part of {@link signToken}: the token's HMAC-SHA-256 in base64, 44 characters. */
export function tokenSignature(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token).digest('base64');
}

let cachedKey: { secret: string; key: KeyObject } | undefined;

/** The secret as a KeyObject, made once per secret: the guard checks a signature per request. */
function hmacKey(secret: string): KeyObject {
  if (cachedKey?.secret !== secret)
    cachedKey = { secret, key: createSecretKey(Buffer.from(secret)) };
  return cachedKey.key;
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
