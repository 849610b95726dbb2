import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Requests allowed per hour, per client address and per email address. */
export interface RateLimitSettings {
  perIp: number;
  perAddress: number;
}

/** The answer of a limit: go on, or wait this many seconds. */
export type LimitResult = { ok: true } | { ok: false; retryAfter: number };

/** The two limits of `POST /subscribe`, kept in memory (a restart forgets them, which is harmless). */
export interface SubscribeLimits {
  /** Counts one request from a client address. */
  ip(key: string): Promise<LimitResult>;
  /** Counts one confirmation email to an address (by its address key). */
  address(key: string): Promise<LimitResult>;
}

const HOUR_SECONDS = 3600;

/**
 * The per-IP and per-address limits, through rate-limiter-flexible's
 * in-memory counters (one hour windows).
 *
 * @param settings Requests per hour.
 */
export function subscribeLimits(settings: RateLimitSettings): SubscribeLimits {
  const perIp = new RateLimiterMemory({ points: settings.perIp, duration: HOUR_SECONDS, keyPrefix: 'ip' });
  const perAddress = new RateLimiterMemory({ points: settings.perAddress, duration: HOUR_SECONDS, keyPrefix: 'address' });
  return { ip: (key) => consume(perIp, key), address: (key) => consume(perAddress, key) };
}

async function consume(limiter: RateLimiterMemory, key: string): Promise<LimitResult> {
  try {
    await limiter.consume(key);
    return { ok: true };
  } catch (outcome) {
    if (outcome instanceof RateLimiterRes) return { ok: false, retryAfter: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
    throw outcome;
  }
}
