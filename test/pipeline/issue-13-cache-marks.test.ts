import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheDatabase } from '../../src/cache/cache-database.js';

const DAY = 24 * 60 * 60 * 1000;
const table = { name: 'entries', columns: 'value TEXT NOT NULL' };
let folder: string;

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The `used` mark of every entry, by key. */
function marks(): Map<string, number> {
  const db = new Database(join(folder, 'c.sqlite'), { readonly: true });
  try {
    return new Map((db.prepare('SELECT key, used FROM entries').all() as { key: string; used: number }[]).map((row) => [row.key, row.used]));
  } finally {
    db.close();
  }
}

function setMark(key: string, used: number): void {
  const db = new Database(join(folder, 'c.sqlite'));
  db.prepare('UPDATE entries SET used = ? WHERE key = ?').run(used, key);
  db.close();
}

describe('issue 13: cache entries are marked used without a write per entry read', () => {
  it('renews only marks a day old or more, and drops entries no build used for two weeks', async () => {
    folder = await mkdtemp(join(tmpdir(), 'sahifa-marks-'));
    const first = new CacheDatabase(folder, 'c.sqlite', 1, table);
    for (const key of ['fresh', 'day-old', 'forgotten']) first.store(key, [key]);
    first.close();
    const now = Date.now();
    setMark('fresh', now - 60 * 60 * 1000);
    setMark('day-old', now - 2 * DAY);
    setMark('forgotten', now - 15 * DAY);

    const second = new CacheDatabase(folder, 'c.sqlite', 1, table);
    for (const key of ['fresh', 'day-old']) {
      expect(second.read<{ value: string }>(key, 'value')?.value).toBe(key);
      second.markUsed(key);
    }
    second.close();

    const after = marks();
    expect(after.get('fresh')).toBe(now - 60 * 60 * 1000);
    expect(after.get('day-old')).toBeGreaterThanOrEqual(now);
    expect(after.has('forgotten')).toBe(false);
  });
});
