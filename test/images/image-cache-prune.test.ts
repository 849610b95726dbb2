import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageCacheDir } from '../../src/images/cache-dir.js';
import { KEEP_UNREFERENCED_MS, pruneImageCache, SWEEP_EVERY_MS, SWEPT_MARKER } from '../../src/images/prune-image-cache.js';
import { build } from '../../src/pipeline/build.js';
import { copyFixture } from '../helpers/site.js';
import { writeFixtureImages } from './fixture-images.js';

const DAY = 24 * 60 * 60 * 1000;

/** Sets a file's modification time `days` days back. */
const age = (path: string, days: number) => utimes(path, new Date(Date.now() - days * DAY), new Date(Date.now() - days * DAY));

/** The cache's entries, as `shard/key.bin`. */
async function entries(cache: string): Promise<string[]> {
  return (await readdir(cache, { recursive: true })).filter((name) => name.endsWith('.bin')).sort();
}

/** A photo of its own for the second post. */
const secondPhoto = () => sharp({ create: { width: 900, height: 300, channels: 3, background: '#c84' } }).png().toBuffer();

describe('the image cache is pruned of entries the output no longer uses', () => {
  let root: string;
  let cache: string;
  let before: string[];
  let after: string[];

  beforeAll(async () => {
    root = await copyFixture('issue-14-images');
    await writeFixtureImages(root);
    // A second post with a photo of its own: every later build takes it whole from the content cache, so no
    // build reads its photo's entry.
    await writeFile(join(root, 'posts', 'assets', 'second.png'), await secondPhoto());
    await writeFile(join(root, 'posts', 'second.md'), '---\ntitle: "الثانية"\ndate: 2025-03-02\n---\n\n![صورة ثانية](assets/second.png)\n');
    await build({ root });
    cache = imageCacheDir(root);
    before = await entries(cache);
    // Every entry three weeks unused, the last sweep two days ago.
    for (const entry of before) await age(join(cache, entry), 21);
    await age(join(cache, SWEPT_MARKER), 2);
    // The phone photo edited: its old entry is no longer used by any file of the output.
    await writeFile(join(root, 'posts', 'assets', 'phone.jpg'), await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#27a' } }).jpeg().toBuffer());
    const second = await build({ root });
    expect(second.cache.cached).toBe(1);
    expect(second.images).toEqual({ processed: 1, reused: 2 });
    after = await entries(cache);
  }, 600_000);

  it('removes the edited photo’s old entry and keeps the entries of the output, read or not', () => {
    expect(before).toHaveLength(4);
    expect(after).toHaveLength(4);
    const gone = before.filter((entry) => !after.includes(entry));
    const added = after.filter((entry) => !before.includes(entry));
    expect(gone).toHaveLength(1);
    expect(added).toHaveLength(1);
    // The second post's photo: its entry was not read (the post came from the content cache) and is three weeks old, yet kept.
    const unread = after.filter((entry) => statSync(join(cache, entry)).mtimeMs < Date.now() - 20 * DAY);
    expect(unread).toHaveLength(1);
  });

  it('marks an entry a build read as used', () => {
    const read = after.filter((entry) => !before.includes(entry) || statSync(join(cache, entry)).mtimeMs > Date.now() - DAY);
    // The new phone entry, and the logo and cover the edited post took from the cache.
    expect(read).toHaveLength(3);
  });

  it('sweeps at most once a day, and never in a build that writes nothing', async () => {
    const stray = join(cache, 'ab', `ab${'0'.repeat(62)}.bin`);
    await mkdir(join(cache, 'ab'), { recursive: true });
    await copyFile(join(cache, after[0]!), stray);
    await age(stray, 30);
    await writeFile(join(root, 'posts', 'second.md'), '---\ntitle: "الثانية"\ndate: 2025-03-02\n---\n\n![صورة ثانية](assets/second.png)\n\nفقرة جديدة.\n');
    await build({ root });
    expect(existsSync(stray)).toBe(true);
    await age(join(cache, SWEPT_MARKER), 2);
    await build({ root, write: false });
    expect(existsSync(stray)).toBe(true);
    expect(statSync(join(cache, SWEPT_MARKER)).mtimeMs).toBeLessThan(Date.now() - DAY);
    await writeFile(join(root, 'posts', 'second.md'), '---\ntitle: "الثانية"\ndate: 2025-03-02\n---\n\n![صورة ثانية](assets/second.png)\n\nفقرة أخرى.\n');
    await build({ root });
    expect(existsSync(stray)).toBe(false);
    expect(await entries(cache)).toEqual(after);
  }, 600_000);
});

describe('pruneImageCache', () => {
  const key = (first: string) => first.repeat(64).slice(0, 64);

  it('keeps young and used entries and files not its own, removes old unused entries, old leftovers and emptied folders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sahifa-image-cache-'));
    const file = async (name: string, days: number) => {
      await mkdir(join(dir, name.slice(0, 2)), { recursive: true });
      await writeFile(join(dir, name), 'x');
      await age(join(dir, name), days);
    };
    await file(`aa/${key('a')}.bin`, 20); // used by the output: kept
    await file(`bb/${key('b')}.bin`, 13); // unused, but read 13 days ago: kept
    await file(`cc/${key('c')}.bin`, 15); // unused for 15 days: removed, and its folder with it
    await file(`dd/${key('d')}.bin.123.cafebabe.tmp`, 2); // a killed build's half entry: removed
    await file(`dd/${key('e')}.bin.456.deadbeef.tmp`, 0); // a running build's: kept
    await file('ee/notes.txt', 100); // not an entry: kept
    const now = Date.now();
    const swept = await pruneImageCache(dir, ['blog/media/photos/phone.aaaaaaaa-480.webp', 'blog/photos/index.html'], now);
    expect(swept).toEqual({ entries: 1, leftovers: 1 });
    expect((await readdir(dir, { recursive: true })).filter((name) => name.includes('/') || name === SWEPT_MARKER).sort()).toEqual(
      [`aa/${key('a')}.bin`, `bb/${key('b')}.bin`, `dd/${key('e')}.bin.456.deadbeef.tmp`, 'ee/notes.txt', SWEPT_MARKER].sort(),
    );
    expect(existsSync(join(dir, 'cc'))).toBe(false);
    // Swept now: not again before a day has passed.
    expect(await pruneImageCache(dir, [], now + SWEEP_EVERY_MS - 60_000)).toBeUndefined();
    expect(await pruneImageCache(dir, [], now + KEEP_UNREFERENCED_MS + SWEEP_EVERY_MS)).toEqual({ entries: 2, leftovers: 1 });
  });

  it('never follows a link: a shard or a marker that is a symbolic link leaves what it points at alone (the review of this change)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sahifa-image-cache-'));
    const elsewhere = await mkdtemp(join(tmpdir(), 'sahifa-elsewhere-'));
    await writeFile(join(elsewhere, `${key('f')}.bin`), 'precious');
    await writeFile(join(elsewhere, `${key('f')}.bin.1.cafebabe.tmp`), 'precious');
    await writeFile(join(elsewhere, 'settings.conf'), 'keep me');
    for (const name of [`${key('f')}.bin`, `${key('f')}.bin.1.cafebabe.tmp`, 'settings.conf']) await age(join(elsewhere, name), 60);
    await symlink(elsewhere, join(dir, 'ff'));
    await symlink(join(elsewhere, 'settings.conf'), join(dir, SWEPT_MARKER));
    await mkdir(join(dir, 'aa'));
    await symlink(join(elsewhere, `${key('f')}.bin`), join(dir, 'aa', `${key('a')}.bin`));
    expect(await pruneImageCache(dir, [])).toEqual({ entries: 0, leftovers: 0 });
    expect((await readdir(elsewhere)).sort()).toEqual([`${key('f')}.bin`, `${key('f')}.bin.1.cafebabe.tmp`, 'settings.conf']);
    expect(await readFile(join(elsewhere, 'settings.conf'), 'utf8')).toBe('keep me');
    expect(existsSync(join(dir, 'aa', `${key('a')}.bin`))).toBe(true);
  });

  it('sweeps when the last sweep is dated in the future (a clock set wrong once)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sahifa-image-cache-'));
    await mkdir(join(dir, 'cc'));
    await writeFile(join(dir, 'cc', `${key('c')}.bin`), 'x');
    await age(join(dir, 'cc', `${key('c')}.bin`), 60);
    await writeFile(join(dir, SWEPT_MARKER), '');
    await age(join(dir, SWEPT_MARKER), -180);
    expect(await pruneImageCache(dir, [])).toEqual({ entries: 1, leftovers: 0 });
  });

  it('does nothing for a site with no image cache', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'sahifa-image-cache-')), 'images');
    expect(await pruneImageCache(dir, [])).toBeUndefined();
    expect(existsSync(dir)).toBe(false);
  });
});
