import Database from 'better-sqlite3';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheDatabase } from '../../src/cache/cache-database.js';

// A new cache database is set up without disk syncs (a cold build made a dozen of them), then kept as before: WAL, NORMAL sync.
describe('issue 13: a cache database set up without syncs', () => {
  it('is a WAL database of the right format holding what was stored, and opens again with its entries', async () => {
    const folder = join(await mkdtemp(join(tmpdir(), 'sahifa-cache-db-')), 'nested');
    const table = { name: 'things', columns: 'value TEXT NOT NULL' };
    const cache = new CacheDatabase(folder, 'things.sqlite', 3, table);
    cache.store('a', ['اَلْعَرَبِيَّة']);
    cache.flush();
    expect(cache.read<{ value: string }>('a', 'value')).toEqual({ value: 'اَلْعَرَبِيَّة' });
    cache.close();

    const raw = new Database(join(folder, 'things.sqlite'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(3);
    expect(raw.prepare('SELECT value FROM things WHERE key = ?').get('a')).toEqual({ value: 'اَلْعَرَبِيَّة' });
    raw.close();

    const again = new CacheDatabase(folder, 'things.sqlite', 3, table);
    expect(again.read<{ value: string }>('a', 'value')).toEqual({ value: 'اَلْعَرَبِيَّة' });
    again.close();
    // Another format version starts the table empty.
    const newer = new CacheDatabase(folder, 'things.sqlite', 4, table);
    expect(newer.read('a', 'value')).toBeUndefined();
    newer.close();
  });
});
