import { isIPv6 } from 'node:net';

/** Requests allowed per hour, per client address and per email address. */
export interface RateLimitSettings {
  perIp: number;
  perAddress: number;
  /** Distinct keys each limit tracks per hour before new ones share one counter (default {@link MAX_KEYS}). */
  maxKeys?: number;
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
  /** How many keys the two limits hold now (memory stays bounded by 2 × `maxKeys` keys). */
  size(): number;
}

/** The length of a counting window, in milliseconds. */
const WINDOW_MS = 3600 * 1000;

/** Distinct keys per limit and window before new keys share one counter (about 5 MB of counters at most). */
export const MAX_KEYS = 50_000;

/** The counter new keys share once a limit tracks `maxKeys` of them this window. */
const OVERFLOW = '\u0000overflow';

/**
 * The per-IP and per-address limits: fixed one-hour windows whose counters
 * live in one `Map` per limit, replaced whole when the window ends (the
 * sweep), with no timer per key. (rate-limiter-flexible's memory store,
 * used before, set a timer for every key it saw, about half a kilobyte a
 * key for an hour; see "Readers subscribe" in the README.) A flood of
 * distinct keys (many IPv6 networks, many made-up email addresses) cannot
 * grow memory without end: past `maxKeys` new keys in a window, every
 * further new key counts against one shared counter, so the flood is
 * limited as one client while the keys already known keep their own counts.
 *
 * @param settings Requests per hour and the key bound.
 */
export function subscribeLimits(settings: RateLimitSettings): SubscribeLimits {
  const maxKeys = settings.maxKeys ?? MAX_KEYS;
  const perIp = fixedWindow(settings.perIp, maxKeys);
  const perAddress = fixedWindow(settings.perAddress, maxKeys);
  return {
    ip: (key) => perIp.hit(clientKey(key)),
    address: (key) => perAddress.hit(key),
    size: () => perIp.size() + perAddress.size(),
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

/** One limit: `points` requests per key and window, at most `maxKeys` keys of their own. */
function fixedWindow(points: number, maxKeys: number): { hit(key: string): LimitResult; size(): number } {
  let counts = new Map<string, number>();
  let windowStart = Date.now();
  const sweep = (now: number) => {
    if (now - windowStart < WINDOW_MS) return;
    counts = new Map();
    windowStart = now;
  };
  return {
    hit(key) {
      const now = Date.now();
      sweep(now);
      const own = counts.get(key);
      const counted = own === undefined && counts.size - (counts.has(OVERFLOW) ? 1 : 0) >= maxKeys ? OVERFLOW : key;
      const count = (counted === key ? (own ?? 0) : (counts.get(OVERFLOW) ?? 0)) + 1;
      // A key over its limit is not counted further: its number cannot grow without end.
      if (count > points) return { ok: false, retryAfter: Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000)) };
      counts.set(counted, count);
      return { ok: true };
    },
    size() {
      sweep(Date.now());
      return counts.size - (counts.has(OVERFLOW) ? 1 : 0);
    },
  };
}
