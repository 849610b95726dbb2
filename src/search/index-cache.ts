import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/**
 * Where the last search index is kept between builds. The one place that
 * names the path, until the build cache (`.sahifa/cache/`) has a module of
 * its own.
 *
 * @param root The site root.
 */
export function searchCacheDir(root: string): string {
  return join(root, '.sahifa', 'cache', 'search');
}

/**
 * The index cached under `key`, by path inside the bundle, or `undefined`
 * when the cache holds another key (or nothing, or something unreadable: the
 * index is then simply built again).
 *
 * @param root The site root.
 * @param key  The hash of what the index was built from.
 */
export async function readCachedIndex(root: string, key: string): Promise<Map<string, Uint8Array> | undefined> {
  const folder = join(searchCacheDir(root), key);
  try {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    const files = new Map<string, Uint8Array>();
    for (const entry of entries.filter((item) => item.isFile())) {
      const path = join(entry.parentPath, entry.name);
      files.set(relative(folder, path).split('\\').join('/'), await readFile(path));
    }
    return files.size > 0 ? files : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps `files` as the index for `key`, replacing the index kept before.
 * The folder is written under a temporary name and renamed, so a reader
 * sees a whole index or none. A cache that cannot be written costs only
 * the next build's time, so failures are ignored.
 *
 * @param root  The site root.
 * @param key   The hash of what the index was built from.
 * @param files The bundle's files by path inside it.
 */
export async function writeCachedIndex(root: string, key: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const cache = searchCacheDir(root);
  const staging = join(cache, `.${key}-${process.pid}-${Date.now()}`);
  try {
    for (const [path, content] of files) {
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await writeFile(join(staging, path), content);
    }
    await rm(join(cache, key), { recursive: true, force: true });
    await rename(staging, join(cache, key));
    for (const entry of await readdir(cache)) if (entry !== key && !entry.startsWith('.')) await rm(join(cache, entry), { recursive: true, force: true });
  } catch {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}
