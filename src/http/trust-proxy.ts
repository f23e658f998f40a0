/**
 * Express's `trust proxy` setting for a `TRUST_PROXY` value: `true`/`false`, a number of hops, or
 * the list of trusted addresses, CIDR ranges and names (`loopback`, ...). It decides `req.ip`,
 * the address every rate limit counts by.
 */
export function trustProxySetting(value: string): boolean | number | string[] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}
