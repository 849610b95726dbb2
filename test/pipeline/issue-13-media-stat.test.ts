import Database from 'better-sqlite3';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CachedPost } from '../../src/cache/cached-post.js';
import { decodeEntry, encodeEntry } from '../../src/cache/content-cache.js';
import { build } from '../../src/pipeline/build.js';
import { copyFixture, snapshot } from '../helpers/site.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const IMAGE = join('posts', 'images', 'istanbul.png');

/** Rewrites every cached entry that has images through `change`. */
function editEntries(root: string, change: (entry: CachedPost) => void): number {
  const db = new Database(join(root, '.sahifa', 'cache', 'content', 'posts.sqlite'));
  let edited = 0;
  try {
    const rows = db.prepare('SELECT key, entry FROM posts').all() as Array<{ key: string; entry: string }>;
    const update = db.prepare('UPDATE posts SET entry = ? WHERE key = ?');
    for (const row of rows) {
      const entry = decodeEntry(row.entry, row.key)!;
      if (entry.media.length === 0) continue;
      change(entry);
      update.run(encodeEntry(entry), row.key);
      edited += 1;
    }
  } finally {
    db.close();
  }
  return edited;
}

/** Makes each kept stat look taken long after the image's last change (a test cannot wait for the clock). */
const settled = (entry: CachedPost) => {
  for (const media of entry.media) if (media.stat) media.stat.at += 60_000;
};

describe('issue 13: images of cached posts are checked by their stat, not read again', () => {
  it('trusts an unchanged stat taken well after the last change: the bytes are not hashed', async () => {
    const root = await copyFixture('cache-site');
    const out = join(root, 'dist');
    await build({ root, out, now: NOW });
    const before = await snapshot(out);
    // A wrong hash is only noticed if the image is read: with the stat trusted, it is not.
    expect(
      editEntries(root, (entry) => {
        settled(entry);
        for (const media of entry.media) media.sha256 = 'f'.repeat(64);
      }),
    ).toBe(2);
    expect((await build({ root, out, now: NOW })).cache).toEqual({ cached: 4, rendered: 0 });
    expect(await snapshot(out)).toEqual(before);
  });

  it('reads the bytes again when the stat differs, even with the same size and modification time', async () => {
    const root = await copyFixture('cache-site');
    const out = join(root, 'dist');
    await build({ root, out, now: NOW });
    editEntries(root, settled);
    const image = join(root, IMAGE);
    const { mtime, size } = await stat(image);
    const bytes = await readFile(image);
    // Same size, one byte different, the old time put back: only the change time tells.
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await writeFile(image, bytes);
    await utimes(image, mtime, mtime);
    expect((await stat(image)).size).toBe(size);
    const rebuilt = await build({ root, out, now: NOW });
    expect(rebuilt.cache).toEqual({ cached: 2, rendered: 2 });
  });

  it('hashes an image changed moments before its stat was taken', async () => {
    const root = await copyFixture('cache-site');
    const out = join(root, 'dist');
    await build({ root, out, now: NOW });
    // The fixture was copied just before the build: its stat is racy, so a wrong hash is noticed.
    editEntries(root, (entry) => {
      for (const media of entry.media) media.sha256 = 'f'.repeat(64);
    });
    expect((await build({ root, out, now: NOW })).cache).toEqual({ cached: 2, rendered: 2 });
  });
});
