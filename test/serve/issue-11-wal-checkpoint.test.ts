import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServeSite } from './serve-site.js';

/** Subscribes `count` new addresses one after another and returns the write-ahead log's size in bytes after each ten. */
async function logSizes(options: { walCheckpointPages: number }, count: number): Promise<number[]> {
  // The outbox's thread checkpoints nothing here, as when it waits for a core under load (it runs at nice 19).
  const site = await startServeSite({ checkpointIntervalMs: 0, walCheckpointPages: options.walCheckpointPages, limits: { perIp: 100_000, perAddress: 10 } });
  const sizes: number[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      expect((await site.subscribe(`wal${index}@example.com`)).status).toBe(200);
      if (index % 10 === 9) sizes.push(statSync(`${site.db.name}-wal`).size);
    }
  } finally {
    await site.close();
  }
  return sizes;
}

describe('issue 11: the write-ahead log stays bounded when the outbox thread does not checkpoint', () => {
  it('has the sign-up writer checkpoint a log past its bound, so the file stops growing', async () => {
    const pages = 16;
    const bounded = await logSizes({ walCheckpointPages: pages }, 120);
    const unbounded = await logSizes({ walCheckpointPages: 0 }, 120);
    // Without the writer's checkpoints the log only grows; with them it stays within a few bounds' worth of pages.
    expect(unbounded.at(-1)!).toBeGreaterThan(unbounded[0]!);
    expect(Math.max(...bounded)).toBeLessThan(4 * pages * 4096 + 64 * 1024);
    expect(unbounded.at(-1)!).toBeGreaterThan(Math.max(...bounded));
  });
});
