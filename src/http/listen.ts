/** What {@link listenOnEveryInterface} needs of the app: Nest's `listen(port, host)`. */
export interface Listener {
  listen(port: number, host: string): Promise<unknown>;
}

/** The errors of binding `::` on a host whose IPv6 is switched off or absent. */
const NO_IPV6 = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL']);

/**
 * Listens on every interface, as Node's own `server.listen(port)` does: on `::` (IPv6, and IPv4
 * through mapped addresses on a dual-stack host), else on `0.0.0.0` when the host has no IPv6.
 * Fastify without a host would listen on `localhost` only.
 *
 * @param port the TCP port; 0 lets the system pick one.
 * @throws what `listen` throws otherwise (`EADDRINUSE` for a taken port, say).
 */
export async function listenOnEveryInterface(app: Listener, port: number): Promise<void> {
  try {
    await app.listen(port, '::');
  } catch (error) {
    if (!NO_IPV6.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await app.listen(port, '0.0.0.0');
  }
}
