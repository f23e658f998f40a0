import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOnEveryInterface } from './listen';

/** A Node server behind the `listen(port, host)` that Nest's app offers, refusing some hosts. */
function serverRefusing(code: string | undefined) {
  const server = createServer();
  const hosts: string[] = [];
  const app = {
    listen: (port: number, host: string) =>
      new Promise<void>((resolve, reject) => {
        hosts.push(host);
        if (host === '::' && code) {
          reject(Object.assign(new Error(`listen ${code} ${host}`), { code }));
          return;
        }
        server.once('error', reject);
        server.listen(port, host, resolve);
      }),
  };
  return { server, hosts, app };
}

describe(listenOnEveryInterface.name, () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('listens on :: where the host has IPv6', async () => {
    const sut = serverRefusing(undefined);
    server = sut.server;

    await listenOnEveryInterface(sut.app, 0);

    expect(sut.hosts).toEqual(['::']);
    expect((server.address() as AddressInfo).address).toBe('::');
  });

  it.each(['EAFNOSUPPORT', 'EADDRNOTAVAIL'])(
    'falls back to 0.0.0.0 when binding :: fails with %s (no IPv6)',
    async (code) => {
      const sut = serverRefusing(code);
      server = sut.server;

      await listenOnEveryInterface(sut.app, 0);

      expect(sut.hosts).toEqual(['::', '0.0.0.0']);
      expect((server.address() as AddressInfo).address).toBe('0.0.0.0');
    },
  );

  it('passes any other error on (a taken port)', async () => {
    const sut = serverRefusing('EADDRINUSE');
    server = sut.server;

    await expect(listenOnEveryInterface(sut.app, 0)).rejects.toThrow('EADDRINUSE');
    expect(sut.hosts).toEqual(['::']);
  });
});
