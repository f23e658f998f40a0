import type { IncomingHttpHeaders } from 'node:http';
import { unsignToken } from './signed-token';

/** RFC 6750's `b64token`, plus `%` for a URL-encoded signed value. */
const B64TOKEN = /^[A-Za-z0-9._~+/%-]+=*$/;

const BEARER = /^bearer\s/i;

/**
 * Whether a request presents its token as `Authorization: Bearer`, which {@link readSessionToken}
 * prefers to the cookie: when false, a token it returns came from the session cookie.
 */
export function presentsBearer(headers: IncomingHttpHeaders): boolean {
  const authorization = headers.authorization?.trim();
  return authorization !== undefined && BEARER.test(authorization);
}

/** Better Auth's session cookie name: `better-auth.session_token`, `__Secure-` prefixed if secure. */
export function sessionCookieName(secure: boolean): string {
  return `${secure ? '__Secure-' : ''}better-auth.session_token`;
}

/**
 * The session token a request presents, in any form Better Auth hands one to a client:
 * `Authorization: Bearer <token>` (raw), `Authorization: Bearer <token>.<signature>` (the bearer
 * plugin's `set-auth-token`, URL-encoded or not) or the signed session cookie. A bearer header
 * wins over the cookie; another `Authorization` scheme is ignored. Signatures are checked against
 * `secret` ({@link unsignToken}).
 *
 * @returns the token; `null` when one was presented but is malformed or wrongly signed;
 *   `undefined` when none was presented.
 */
export function readSessionToken(
  headers: IncomingHttpHeaders,
  secret: string,
  cookieName: string,
): string | null | undefined {
  const authorization = headers.authorization?.trim();
  if (authorization && BEARER.test(authorization)) {
    const value = authorization.slice(7).trim();
    if (!B64TOKEN.test(value)) return null;
    return value.includes('.') || value.includes('%') ? unsignToken(value, secret) : value;
  }
  const cookie = cookieValue(headers.cookie, `${cookieName}=`);
  return cookie === undefined ? undefined : unsignToken(cookie, secret);
}

function cookieValue(header: string | undefined, prefix: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const pair = part.trim();
    if (pair.startsWith(prefix)) return pair.slice(prefix.length);
  }
  return undefined;
}
