import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a browser request comes from one of `trusted` (origins as `trustedOrigins()` lists
 * them): its `Origin`, or without one the origin of its `Referer`, is in the set. As in Better
 * Auth, `Origin: null` counts as the API's own origin when `Sec-Fetch-Site: same-origin` (which
 * pages cannot forge) says so: a same-origin page with `Referrer-Policy: no-referrer` sends that.
 * A request with neither header is not trusted.
 */
export function fromTrustedOrigin(
  headers: IncomingHttpHeaders,
  trusted: ReadonlySet<string>,
): boolean {
  const origin = headers.origin;
  if (origin !== undefined) {
    return (
      trusted.has(origin) || (origin === 'null' && headers['sec-fetch-site'] === 'same-origin')
    );
  }
  const referer = headers.referer;
  if (!referer) return false;
  try {
    return trusted.has(new URL(referer).origin);
  } catch {
    return false;
  }
}
