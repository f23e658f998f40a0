import { hash } from 'node:crypto';

/** SHA-256's block size in bytes: RFC 2104's B. */
const BLOCK_BYTES = 64;

/** Room for messages of up to this many bytes without allocating (a session token is 32). */
const MESSAGE_ROOM_BYTES = 256;

/**
 * HMAC-SHA-256 (RFC 2104) with one key, made of two one-shot SHA-256 hashes (Node's
 * `crypto.hash`): `H((K ^ opad) || H((K ^ ipad) || message))`, the key padded with zeros to the
 * block, or first hashed when longer than it. It returns what
 * `createHmac('sha256', key).update(message).digest(encoding)` returns, bit for bit (its spec
 * compares the two over keys and messages of every length class).
 *
 * Why not `createHmac`: the session guard checks a signature on every request that presents the
 * signed cookie or the bearer plugin's signed value, and an `Hmac` object costs more than the
 * hashing itself. In CPU profiles of `npm run bench`, its constructor took about 5 microseconds
 * a call against about 1.2 for a one-shot hash; see docs/PERFORMANCE.md.
 *
 * Not safe to share between threads (it reuses two buffers), which a Node.js module never is.
 */
export class HmacSha256 {
  /** `K ^ ipad`, then room for the message. */
  private readonly inner = Buffer.alloc(BLOCK_BYTES + MESSAGE_ROOM_BYTES);
  /** `K ^ opad`, then the inner digest. */
  private readonly outer = Buffer.alloc(BLOCK_BYTES + 32);

  /** @param key the key, UTF-8 encoded when a string (as `createHmac` does). */
  constructor(key: string | Buffer) {
    let bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    if (bytes.length > BLOCK_BYTES) bytes = hash('sha256', bytes, 'buffer');
    for (let i = 0; i < BLOCK_BYTES; i++) {
      const byte = bytes[i] ?? 0;
      this.inner[i] = byte ^ 0x36;
      this.outer[i] = byte ^ 0x5c;
    }
  }

  /**
   * The HMAC of `message` (UTF-8 encoded, as `Hmac.update` encodes a string) in `encoding`.
   */
  digest(message: string, encoding: 'base64' | 'base64url' | 'hex'): string {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8, so a message of this many units fits.
    const data =
      message.length * 3 <= MESSAGE_ROOM_BYTES
        ? this.inner.subarray(0, BLOCK_BYTES + this.inner.write(message, BLOCK_BYTES, 'utf8'))
        : Buffer.concat([this.inner.subarray(0, BLOCK_BYTES), Buffer.from(message, 'utf8')]);
    hash('sha256', data, 'buffer').copy(this.outer, BLOCK_BYTES);
    return hash('sha256', this.outer, encoding);
  }
}
