/**
 * The origins of a comma-separated list such as `CORS_ORIGINS`, each as browsers send it in
 * `Origin` (lower-case scheme and host, no default port, no trailing slash), in order.
 */
export function originList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => new URL(origin).origin);
}
