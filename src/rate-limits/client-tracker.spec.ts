import { normalizeIp } from '@nestjs/throttler';
import { clientTracker } from './client-tracker';

describe(clientTracker.name, () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['::1', '::1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
  ])('counts %s as %s', (ip, key) => {
    expect(clientTracker(ip)).toBe(key);
  });

  it.each([
    '127.0.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '01.2.3.4',
    '1.2.3.4%eth0',
    '::ffff:01.2.3.4',
    '::ffff:1.2.3',
    '::ffff:256.1.1.1',
    '::ffff:1.2.3.4%eth0',
    '::ffff:',
    '::ffff:127.0.0.1:80',
    '::',
    'fe80::1%eth0',
    '2001:DB8::1',
    'not an address',
    '',
  ])('gives %j the key @nestjs/throttler own tracker gives it', (ip) => {
    expect(clientTracker(ip)).toBe(normalizeIp(ip));
  });

  it('passes an undefined address (a closed socket) on as the package does', () => {
    expect(clientTracker(undefined)).toBe(normalizeIp(undefined as unknown as string));
  });
});
