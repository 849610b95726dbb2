import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { clientKey, subscribeLimits } from '../../src/serve/rate-limits.js';
import { copyFixture } from '../helpers/site.js';
import { startServeSite, type ServeSite } from './serve-site.js';

describe('issue 11: rate limits stay bounded in memory under a flood of distinct clients', () => {
  it('counts at most maxKeys new keys an hour; further new keys share one counter, known keys keep theirs', async () => {
    const limits = subscribeLimits({ perIp: 3, perAddress: 3, maxKeys: 100 });
    const outcomes: boolean[] = [];
    for (let i = 0; i < 10_000; i += 1) outcomes.push((await limits.ip(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)).ok);
    expect(limits.size()).toBe(100);
    // The first hundred had their own counters; the rest of the flood shared three requests.
    expect(outcomes.filter(Boolean)).toHaveLength(103);
    expect(outcomes.slice(0, 103).every(Boolean)).toBe(true);
    expect((await limits.ip('10.0.0.5')).ok).toBe(true);
    for (let i = 0; i < 10_000; i += 1) await limits.address(`reader${i}@example.com`);
    expect(limits.size()).toBe(200);
  });

  it('starts every counter again when the hour turns, dropping the keys of the hour before (no timer per key)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const limits = subscribeLimits({ perIp: 2, perAddress: 2, maxKeys: 1000 });
      for (let i = 0; i < 500; i += 1) limits.address(`reader${i}@example.com`);
      expect([limits.ip('192.0.2.1').ok, limits.ip('192.0.2.1').ok, limits.ip('192.0.2.1')]).toEqual([true, true, { ok: false, retryAfter: 3600 }]);
      expect(limits.size()).toBe(501);
      vi.setSystemTime(Date.now() + 30 * 60 * 1000);
      expect(limits.ip('192.0.2.1')).toEqual({ ok: false, retryAfter: 1800 });
      vi.setSystemTime(Date.now() + 30 * 60 * 1000);
      expect(limits.ip('192.0.2.1').ok).toBe(true);
      expect(limits.size()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps its counters in a fixed size whatever comes: 200,000 distinct keys take no more memory than none', () => {
    const limits = subscribeLimits({ perIp: 30, perAddress: 3, maxKeys: 1_000_000, hashKey: Buffer.alloc(32, 9) });
    const before = limits.bytes();
    expect(before).toBe(2 * 4 * 65_536 * 4);
    for (let i = 0; i < 100_000; i += 1) {
      limits.ip(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      limits.address(`reader${i}@example.com`);
    }
    expect(limits.bytes()).toBe(before);
    // Twice the 50,000 keys an hour the counters are made for, most keys are still told apart (a key whose
    // four counters were all taken already counts as known: about one in eight by the end).
    expect(limits.size()).toBeGreaterThan(170_000);
  });

  it('never counts a key below its requests, and over-counts so rarely that 50,000 new addresses an hour all pass at the default limit', () => {
    const limits = subscribeLimits({ perIp: 30, perAddress: 3, hashKey: Buffer.alloc(32, 7) });
    const refused: number[] = [];
    for (let i = 0; i < 50_000; i += 1) {
      if (!limits.address(`reader${i}@example.com`).ok) refused.push(i);
      // One address is asked for again and again among them: it is refused after its three, every time.
      if (i % 10_000 === 0) expect(limits.address('victim@example.com').ok).toBe(i < 30_000);
    }
    expect(refused).toEqual([]);
    // Other secrets place the counters elsewhere; the bound on over-counting holds for each.
    for (const fill of [1, 2, 3]) {
      const other = subscribeLimits({ perIp: 30, perAddress: 1, hashKey: Buffer.alloc(32, fill) });
      let passed = 0;
      for (let i = 0; i < 20_000; i += 1) if (other.address(`reader${i}@example.com`).ok) passed += 1;
      // At a limit of one and 20,000 keys, a key is refused only when all four of its counters are taken.
      expect(passed).toBeGreaterThan(19_900);
    }
  });

  it('counts an IPv6 client by its /64 and an IPv4-mapped one as IPv4', async () => {
    expect(clientKey('2001:db8::1')).toBe('2001:0db8:0000:0000::/64');
    expect(clientKey('2001:DB8:0:0:ffff:1:2:3')).toBe('2001:0db8:0000:0000::/64');
    expect(clientKey('2001:db8:0:1::1')).toBe('2001:0db8:0000:0001::/64');
    expect(clientKey('::1')).toBe('0000:0000:0000:0000::/64');
    expect(clientKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
    const limits = subscribeLimits({ perIp: 2, perAddress: 9 });
    const sameNetwork = ['2001:db8::1', '2001:db8::2', '2001:db8::ffff:3'];
    const outcomes = [];
    for (const address of sameNetwork) outcomes.push((await limits.ip(address)).ok);
    expect(outcomes).toEqual([true, true, false]);
    expect((await limits.ip('2001:db8:0:1::1')).ok).toBe(true);
  });

  describe('over HTTP', () => {
    let site: ServeSite | undefined;
    const flood = async (count: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < count; i += 1) {
        // Each request claims another client: what a local proxy would append, or what a client could make up.
        const response = await site!.subscribe(`flood${i}@example.com`, { headers: { 'X-Forwarded-For': `198.51.100.${i}` } });
        statuses.push(response.status);
      }
      return { statuses };
    };

    it('behind a trusted local proxy, a flood of distinct X-Forwarded-For values is limited as one client past maxKeys', async () => {
      site = await startServeSite({ limits: { perIp: 2, perAddress: 100, maxKeys: 20 } });
      try {
        const { statuses } = await flood(40);
        expect(statuses.slice(0, 22)).toEqual(Array<number>(22).fill(200));
        expect(statuses.slice(22)).toEqual(Array<number>(18).fill(429));
      } finally {
        await site.close();
      }
    });

    it('with serve.trustProxy off, X-Forwarded-For counts for nothing: every request is the peer\'s', async () => {
      const config = await loadConfig(await copyFixture('serve-site'));
      site = await startServeSite({ config: { ...config, serve: { ...config.serve, trustProxy: false } }, limits: { perIp: 3, perAddress: 100 } });
      try {
        const { statuses } = await flood(6);
        expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
      } finally {
        await site.close();
      }
    });
  });
});
