import { hash, randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';

/** Requests allowed per hour, per client address and per email address. */
export interface RateLimitSettings {
  perIp: number;
  perAddress: number;
  /** New keys each limit counts per hour before further new ones share one counter (default {@link MAX_KEYS}). */
  maxKeys?: number;
  /** The secret the counters' positions are drawn with (default: random at start; tests fix it to be repeatable). */
  hashKey?: Buffer;
}

/** The answer of a limit: go on, or wait this many seconds. */
export type LimitResult = { ok: true } | { ok: false; retryAfter: number };

/**
 * The two limits of `POST /subscribe`, kept in memory. A restart forgets
 * them; see "Against abuse" in the README for why that is acceptable.
 */
export interface SubscribeLimits {
  /** Counts one request from a client address (an IPv6 address counts for its /64). */
  ip(key: string): LimitResult;
  /** Counts one request for an address (by its address key), whatever the address's state. */
  address(key: string): LimitResult;
  /** How many distinct keys the two limits have counted this window (as the counters can tell). */
  size(): number;
  /** Bytes the counters take: fixed when the limits are made, whatever comes. */
  bytes(): number;
}

/** The length of a counting window, in milliseconds. */
const WINDOW_MS = 3600 * 1000;

/** New keys per limit and window before further new keys share one counter. */
export const MAX_KEYS = 50_000;

/** Rows of each limit's counters: a key's count is the least of its counter in each row. */
const ROWS = 4;
/** Counters per row (2^16: each row's position is two bytes of the key's hash). */
const COLUMNS = 1 << 16;

/**
 * The per-IP and per-address limits: fixed one-hour windows counted in a
 * count-min sketch per limit, four rows of 65,536 counters (1 MiB) made
 * once and zeroed when the window ends, with no timer and no allocation per
 * key. A key's counters are at positions drawn from a SHA-256 of a secret
 * made at start and the key, so nobody can pick keys that share a victim's
 * counters; its count is the least of its four counters, which is
 * never below its true count and only above it when each of its four
 * counters is shared with other keys' requests: with 50,000 keys in an
 * hour, one in a few hundred thousand keys at the default limits. A key
 * refused that way is a reader asked to wait, never a limit lifted.
 *
 * Memory is flat by construction (the old per-key map grew about 75 bytes
 * a key). A flood of distinct keys (many IPv6 networks, many made-up
 * email addresses) also cannot fill every counter: past `maxKeys` new keys
 * in a window (a key whose counters are all zero is new), every further new
 * key counts against one shared counter, so the flood is limited as one
 * client while the keys already counted keep their own counts.
 *
 * @param settings Requests per hour, the new-key bound, and the hash's secret.
 */
export function subscribeLimits(settings: RateLimitSettings): SubscribeLimits {
  const maxKeys = settings.maxKeys ?? MAX_KEYS;
  const hashKey = settings.hashKey ?? randomBytes(32);
  const perIp = fixedWindow(settings.perIp, maxKeys, hashKey);
  const perAddress = fixedWindow(settings.perAddress, maxKeys, hashKey);
  return {
    ip: (key) => perIp.hit(clientKey(key)),
    address: (key) => perAddress.hit(key),
    size: () => perIp.size() + perAddress.size(),
    bytes: () => perIp.bytes + perAddress.bytes,
  };
}

/**
 * The key of a client address: an IPv6 address stands for its /64 (one
 * customer's network hands out a whole /64, so counting each address would
 * give one client 2^64 fresh counters); an IPv4-mapped one for its IPv4.
 *
 * @param address The client's address.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back] : front;
  return `${groups
    .slice(0, 4)
    .map((group) => group.padStart(4, '0'))
    .join(':')}::/64`;
}

/** One limit: `points` requests per key and window in a count-min sketch, at most `maxKeys` new keys of their own. */
function fixedWindow(points: number, maxKeys: number, hashKey: Buffer): { hit(key: string): LimitResult; size(): number; bytes: number } {
  const secret = `${hashKey.toString('base64')}\n`;
  const counters = new Uint32Array(ROWS * COLUMNS);
  const positions = new Uint32Array(ROWS);
  let overflow = 0;
  let keys = 0;
  let windowStart = Date.now();
  const sweep = (now: number) => {
    if (now - windowStart < WINDOW_MS) return;
    counters.fill(0);
    overflow = 0;
    keys = 0;
    windowStart = now;
  };
  return {
    hit(key) {
      const now = Date.now();
      sweep(now);
      // SHA-256 of the secret and the key in one call: an HMAC object per request cost twice as much.
      const digest = hash('sha256', secret + key, 'buffer');
      let least = Infinity;
      for (let row = 0; row < ROWS; row += 1) {
        positions[row] = row * COLUMNS + digest.readUInt16LE(row * 2);
        least = Math.min(least, counters[positions[row]!]!);
      }
      const own = least > 0 || keys < maxKeys;
      const count = (own ? least : overflow) + 1;
      // A key over its limit is not counted further: its count cannot grow without end.
      if (count > points) return { ok: false, retryAfter: Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000)) };
      if (!own) {
        overflow = count;
        return { ok: true };
      }
      if (least === 0) keys += 1;
      // Conservative update: only the counters at the key's least are raised, so other keys' counts grow less.
      for (let row = 0; row < ROWS; row += 1) if (counters[positions[row]!] === least) counters[positions[row]!] = count;
      return { ok: true };
    },
    size() {
      sweep(Date.now());
      return keys;
    },
    bytes: counters.byteLength,
  };
}
