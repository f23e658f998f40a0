import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** What the server sent on a raw connection, and when it closed it, in seconds after `sent`. */
function rawRequest(port: number, sent: string): Promise<{ answer: string; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(sent));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ answer, seconds: (Date.now() - started) / 1000 }));
    // Far beyond the bounds under test: Node's defaults would hold the socket 70 s and 310 s.
    socket.setTimeout(20_000, () => socket.destroy(new Error('the server held the socket')));
  });
}

describe('slow clients (HTTP_HEADERS_TIMEOUT_SECONDS, HTTP_REQUEST_TIMEOUT_SECONDS)', () => {
  let sut: TestApp;
  let port: number;

  beforeAll(async () => {
    sut = await createTestApp({
      HTTP_HEADERS_TIMEOUT_SECONDS: '1',
      HTTP_REQUEST_TIMEOUT_SECONDS: '3',
    });
    await sut.app.listen(0, '127.0.0.1');
    port = (sut.app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('answers 408 and closes a connection whose headers do not arrive within the headers time-out', async () => {
    const { answer, seconds } = await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: x\r\n');

    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThan(2.5);
  });

  it('answers 408 and closes a connection whose body does not arrive within the request time-out', async () => {
    const { answer, seconds } = await rawRequest(
      port,
      'POST /api/auth/sign-in/email HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":',
    );

    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(seconds).toBeGreaterThanOrEqual(3);
    expect(seconds).toBeLessThan(4.5);
  });
});
