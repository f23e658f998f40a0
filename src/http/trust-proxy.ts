/** Whether the proxy at `address`, `hop` hops from the app (0: the TCP peer), is trusted. */
export type TrustProxyFunction = (address: string, hop: number) => boolean;

/**
 * Fastify's `trustProxy` for a `TRUST_PROXY` value, with the rules of Express's `trust proxy`
 * (both go through `proxy-addr`): `true`/`false`, the list of trusted addresses, CIDR ranges and
 * names (`loopback`, ...), or a number of hops, which becomes a function trusting that many
 * (Fastify itself reads a number as trusting none). It decides `request.ip`, the address every
 * rate limit counts by.
 */
export function trustProxySetting(value: string): boolean | string[] | TrustProxyFunction {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((entry) => entry.trim());
}
