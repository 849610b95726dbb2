import { lstat, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
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
/** A half-written entry, as `ImageCache.set` names it: the entry's name, the writer's process id and four random bytes. */
const LEFTOVER_NAME = /^[0-9a-f]{64}\.bin\.\d+\.[0-9a-f]{8}\.tmp$/;
const SHARD_NAME = /^[0-9a-f]{2}$/;
/** A marker this far ahead of the clock was set by a clock that was wrong (or copied from another machine): the sweep is due. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

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
 *   A marker dated in the future (a clock set wrong once) makes the sweep due.
 */
export async function pruneImageCache(dir: string, outputPaths: Iterable<string>, now = Date.now()): Promise<ImageCacheSweep | undefined> {
  const marker = join(dir, SWEPT_MARKER);
  const swept = await lstat(marker).catch(() => undefined);
  if (swept?.isFile() && swept.mtimeMs > now - SWEEP_EVERY_MS && swept.mtimeMs < now + CLOCK_SKEW_MS) return undefined;
  const shards = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!shards) return undefined;
  const referenced = new Set<string>();
  for (const path of outputPaths) {
    const prefix = OUTPUT_NAME.exec(path)?.[1];
    if (prefix) referenced.add(prefix);
  }
  const removed: ImageCacheSweep = { entries: 0, leftovers: 0 };
  // Only real folders and files: a symbolic link, even one named like a shard or an entry, is not the cache's own.
  for (const shard of shards.filter((entry) => entry.isDirectory() && SHARD_NAME.test(entry.name))) {
    const folder = join(dir, shard.name);
    const files = await readdir(folder, { withFileTypes: true }).catch(() => []);
    let left = files.length;
    for (const file of files) {
      const entry = ENTRY_NAME.exec(file.name);
      const leftover = LEFTOVER_NAME.test(file.name);
      if (!file.isFile() || (!leftover && (!entry || referenced.has(entry[1]!)))) continue;
      const info = await lstat(join(folder, file.name)).catch(() => undefined);
      if (!info?.isFile() || info.mtimeMs > now - (leftover ? SWEEP_EVERY_MS : KEEP_UNREFERENCED_MS)) continue;
      if (await rm(join(folder, file.name)).then(() => true, () => false)) {
        left -= 1;
        removed[leftover ? 'leftovers' : 'entries'] += 1;
      }
    }
    if (left === 0) await rmdir(folder).catch(() => undefined);
  }
  // Written aside and renamed over the marker: a marker that is a link is replaced, never written through.
  const written = `${marker}.${process.pid}.tmp`;
  await writeFile(written, '')
    .then(() => rename(written, marker))
    .catch(() => rm(written, { force: true }).catch(() => undefined));
  return removed;
}
