import { isIPv6 } from 'node:net';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

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
  ip(key: string): Promise<LimitResult>;
  /** Counts one request for an address (by its address key), whatever the address's state. */
  address(key: string): Promise<LimitResult>;
  /** How many keys the two limits hold now (memory stays bounded by about 2 × 2 × `maxKeys`). */
  size(): number;
}

const HOUR_SECONDS = 3600;

/** Distinct keys per limit and hour before new keys share one counter: about 10 MB of counters at most. */
export const MAX_KEYS = 50_000;

/** The counter new keys share once a limit tracks `maxKeys` of them this hour. */
const OVERFLOW = '\u0000overflow';

/**
 * The per-IP and per-address limits, through rate-limiter-flexible's
 * in-memory counters (one hour windows). A flood of distinct keys (many
 * IPv6 addresses, many made-up email addresses) cannot grow memory without
 * end: past `maxKeys` new keys in an hour, every further new key counts
 * against one shared counter, so the flood is limited as one client while
 * the keys already known keep their own counts.
 *
 * @param settings Requests per hour and the key bound.
 */
export function subscribeLimits(settings: RateLimitSettings): SubscribeLimits {
  const maxKeys = settings.maxKeys ?? MAX_KEYS;
  const perIp = limit(new RateLimiterMemory({ points: settings.perIp, duration: HOUR_SECONDS, keyPrefix: 'ip' }), maxKeys);
  const perAddress = limit(new RateLimiterMemory({ points: settings.perAddress, duration: HOUR_SECONDS, keyPrefix: 'address' }), maxKeys);
  return { ip: (key) => perIp.consume(clientKey(key)), address: (key) => perAddress.consume(key), size: () => perIp.size() + perAddress.size() };
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

/** A limiter whose distinct keys per hour are bounded. */
function limit(limiter: RateLimiterMemory, maxKeys: number): { consume(key: string): Promise<LimitResult>; size(): number } {
  let seen = new Set<string>();
  let previous = 0;
  let windowStart = Date.now();
  const keyOf = (key: string) => {
    if (Date.now() - windowStart >= HOUR_SECONDS * 1000) {
      // Counters of the last window live until they expire, at most an hour more.
      previous = seen.size;
      seen = new Set();
      windowStart = Date.now();
    }
    if (seen.has(key)) return key;
    if (seen.size >= maxKeys) return OVERFLOW;
    seen.add(key);
    return key;
  };
  return {
    async consume(key) {
      try {
        await limiter.consume(keyOf(key));
        return { ok: true };
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return { ok: false, retryAfter: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
        throw outcome;
      }
    },
    size: () => seen.size + previous,
  };
}
