import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServeSite } from './serve-site.js';

/** The bound the sign-ups' connection is given here, in pages of 4 KiB. */
const PAGES = 16;
/** A few bounds' worth of pages: the log may pass its bound by the commits made before a checkpoint completes. */
const LIMIT = 4 * PAGES * 4096 + 64 * 1024;

type ServeSite = Awaited<ReturnType<typeof startServeSite>>;

/** Subscribes 40 new addresses with the given prefix, one after another. */
async function signUps(site: ServeSite, prefix: string): Promise<void> {
  for (let index = 0; index < 40; index += 1) expect((await site.subscribe(`${prefix}${index}@example.com`)).status).toBe(200);
}

/**
 * Subscribes 40 new addresses while another connection holds a read open
 * (as the outbox's thread at nice 19 does when it waits for a core in the
 * middle of a query: no checkpoint can pass that read), then 40 more once it
 * has ended, and returns the write-ahead log's size in bytes after each half.
 *
 * The outbox's thread checkpoints nothing and reads nothing here: its SMTP
 * server holds the first email unanswered, so, with one connection, it does
 * not look at the outbox again.
 */
async function logSizes(walCheckpointPages: number): Promise<{ whileRead: number; afterRead: number }> {
  const site = await startServeSite({ checkpointIntervalMs: 0, walCheckpointPages, mailConcurrency: 1, limits: { perIp: 100_000, perAddress: 10 } }, { holdAfter: 0 });
  const walSize = () => statSync(`${site.db.name}-wal`).size;
  try {
    site.db.exec('BEGIN');
    site.db.prepare('SELECT count(*) FROM subscribers').get();
    await signUps(site, 'during');
    const whileRead = walSize();
    site.db.exec('COMMIT');
    await signUps(site, 'after');
    return { whileRead, afterRead: walSize() };
  } finally {
    site.smtp.release(true);
    await site.close();
  }
}

describe('issue 11: the write-ahead log stays bounded when the outbox thread does not checkpoint', () => {
  it('has the sign-ups\' connection checkpoint a log past its bound, and the file cut back once a read that held it has ended', async () => {
    const bounded = await logSizes(PAGES);
    const unbounded = await logSizes(0);
    // A read held open lets the log grow past its bound, checkpoints or not …
    expect(bounded.whileRead).toBeGreaterThan(LIMIT);
    // … without its checkpoints it only grows …
    expect(unbounded.afterRead).toBeGreaterThan(unbounded.whileRead);
    // … and with them the file is cut back once the read has ended.
    expect(bounded.afterRead).toBeLessThan(LIMIT);
  });
});
