import { readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How long an entry that the output does not reference, and that no build has read, is kept (as the content cache keeps its entries). */
export const KEEP_UNREFERENCED_MS = 14 * 24 * 60 * 60 * 1000;

/** Sweeps happen at most this often: a build between them spends nothing on the cache's folder. */
export const SWEEP_EVERY_MS = 24 * 60 * 60 * 1000;

/** The file whose modification time says when the cache was last swept. */
export const SWEPT_MARKER = 'swept';

/** A processed image's file in the output names its cache entry: `photo.1a2b3c4d-480.webp` is entry `1a2b3c4d…` (see `outputs` in process-site-images.ts). */
const OUTPUT_NAME = /\.([0-9a-f]{8})-\d+\.[a-z]+$/;
const ENTRY_NAME = /^([0-9a-f]{8})[0-9a-f]{56}\.bin$/;
const SHARD_NAME = /^[0-9a-f]{2}$/;

/** What a sweep removed. */
export interface ImageCacheSweep {
  /** Entries removed. */
  entries: number;
  /** Half-written entries a killed build left, removed. */
  leftovers: number;
}

/**
 * Removes the image cache's entries that the output just committed does not
 * use and that no build has read for {@link KEEP_UNREFERENCED_MS} (a cache
 * hit renews an entry's modification time, see `ImageCache.get`), and the
 * half-written files of killed builds, at most once every
 * {@link SWEEP_EVERY_MS}. An entry is used when a file of the output is
 * named after it (the first eight hex digits of its key), which covers the
 * images of posts taken whole from the content cache, whose entries no
 * build reads: so an old post's photos are never made again after a
 * template change merely because they are old. An edited photo's previous
 * entry, or every entry after the image widths changed, is what goes.
 *
 * Never fails: a file that cannot be read or removed is left for the next
 * sweep (the cache only costs time when it misses).
 *
 * @param dir         The image cache's folder (see `imageCacheDir`).
 * @param outputPaths Every file of the committed output, by path.
 * @param now         The time of the build, in milliseconds since 1970.
 * @returns What was removed, or `undefined` when no sweep was due (or the cache has no folder).
 */
export async function pruneImageCache(dir: string, outputPaths: Iterable<string>, now = Date.now()): Promise<ImageCacheSweep | undefined> {
  const marker = join(dir, SWEPT_MARKER);
  const swept = await stat(marker).catch(() => undefined);
  if (swept && swept.mtimeMs > now - SWEEP_EVERY_MS) return undefined;
  const shards = await readdir(dir).catch(() => undefined);
  if (!shards) return undefined;
  const referenced = new Set<string>();
  for (const path of outputPaths) {
    const prefix = OUTPUT_NAME.exec(path)?.[1];
    if (prefix) referenced.add(prefix);
  }
  const removed: ImageCacheSweep = { entries: 0, leftovers: 0 };
  for (const shard of shards.filter((name) => SHARD_NAME.test(name))) {
    const folder = join(dir, shard);
    const names = await readdir(folder).catch(() => [] as string[]);
    let left = names.length;
    for (const name of names) {
      const entry = ENTRY_NAME.exec(name);
      // A half-written entry (see ImageCache.set) older than a day belongs to no running build.
      const leftover = !entry && name.endsWith('.tmp');
      if (!leftover && (!entry || referenced.has(entry[1]!))) continue;
      const info = await stat(join(folder, name)).catch(() => undefined);
      if (!info?.isFile() || info.mtimeMs > now - (leftover ? SWEEP_EVERY_MS : KEEP_UNREFERENCED_MS)) continue;
      if (await rm(join(folder, name)).then(() => true, () => false)) {
        left -= 1;
        removed[leftover ? 'leftovers' : 'entries'] += 1;
      }
    }
    if (left === 0) await rmdir(folder).catch(() => undefined);
  }
  await writeFile(marker, '').catch(() => undefined);
  return removed;
}
