import { randomBytes, randomFillSync } from 'node:crypto';

/** Bytes drawn from the operating system's generator at a time. */
const POOL_BYTES = 4096;

const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * `size` cryptographically random bytes, as `crypto.randomBytes` gives, cut
 * from a pool that is refilled from the same generator when it runs out:
 * every call of `randomBytes` is a trip into OpenSSL that cost more than the
 * rest of building a token (measured in "Readers subscribe" in the README),
 * and a subscribe request needs three small draws (nonce, IV, Message-ID).
 * Each byte is handed out once, as a copy that owns its memory.
 *
 * @param size How many bytes.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES / 8) return randomBytes(size);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
