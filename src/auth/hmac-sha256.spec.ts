import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';

/*
 * Node's own HMAC is the reference: every answer must be the same, bit for bit, whatever the
 * lengths of the key (shorter than the block, the block, longer, so hashed first) and of the
 * message (empty, a token, past the buffer's room, multi-byte characters, a lone surrogate).
 */
describe(HmacSha256.name, () => {
  const keys: Array<[string, string | Buffer]> = [
    ['a 1-byte key', 'k'],
    ['a 32-character secret', 'a-test-secret-of-32-characters!!'],
    ['a 63-byte key', 'x'.repeat(63)],
    ['a 64-byte key (the block)', 'y'.repeat(64)],
    ['a 65-byte key (hashed first)', 'z'.repeat(65)],
    ['a 200-byte random key', randomBytes(200)],
    ['a key with multi-byte characters', 'cl\u00e9-secr\u00e8te-\u00e9\u4e2d\u{1f511}'.repeat(3)],
  ];
  const messages: Array<[string, string]> = [
    ['an empty message', ''],
    ['a session token', 'VIZ42kubA8MYggb5iICQ7xlzpvQsdkI2'],
    ['85 characters (the most that fits the room)', 'm'.repeat(85)],
    ['86 characters', 'm'.repeat(86)],
    ['a 10,000-character message', 'long'.repeat(2500)],
    ['multi-byte characters', '\u00e9\u4e2d\u{1f600}'.repeat(30)],
    ['a lone surrogate', 'token\ud800end'],
  ];

  describe.each(keys)('with %s', (_, key) => {
    const sut = new HmacSha256(key);

    it.each(messages)('gives createHmac its digest of %s', (__, message) => {
      for (const encoding of ['base64', 'base64url', 'hex'] as const) {
        expect(sut.digest(message, encoding)).toBe(
          createHmac('sha256', key).update(message).digest(encoding),
        );
      }
    });
  });

  it('gives the same answer again after a longer message left bytes in its buffer', () => {
    const sut = new HmacSha256('secret');
    sut.digest('a much longer message than the next one', 'hex');
    expect(sut.digest('short', 'hex')).toBe(
      createHmac('sha256', 'secret').update('short').digest('hex'),
    );
  });

  it('matches RFC 4231 test case 2', () => {
    expect(new HmacSha256('Jefe').digest('what do ya want for nothing?', 'hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});
