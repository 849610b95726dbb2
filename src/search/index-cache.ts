import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

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

/** The list of a cached index's files with their SHA-256, beside them. */
const LIST = 'files.json';
/** The folder of the index's files inside a key's folder. */
const BUNDLE = 'bundle';

const sha256 = (content: Uint8Array) => createHash('sha256').update(content).digest('hex');

/**
 * The index cached under `key`, by path inside the bundle, or `undefined`
 * when the cache holds another key, nothing, or an index that is not whole
 * (a file missing, changed or unreadable): the index is then built again.
 *
 * @param root The site root.
 * @param key  The hash of what the index was built from.
 */
export async function readCachedIndex(root: string, key: string): Promise<Map<string, Uint8Array> | undefined> {
  const folder = join(searchCacheDir(root), key);
  try {
    const list = JSON.parse(await readFile(join(folder, LIST), 'utf8')) as Record<string, string>;
    const files = new Map<string, Uint8Array>();
    for (const [path, hash] of Object.entries(list)) {
      // Paths come from Pagefind (`fragment/ar_1a2b.pf_fragment`); anything else means the list was tampered with.
      if (!/^(?:[\w.-]+\/)*[\w.-]+$/.test(path) || path.split('/').some((part) => /^\.+$/.test(part))) return undefined;
      const content = await readFile(join(folder, BUNDLE, path));
      if (sha256(content) !== hash) return undefined;
      files.set(path, content);
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
    const list: Record<string, string> = {};
    for (const [path, content] of files) {
      await mkdir(dirname(join(staging, BUNDLE, path)), { recursive: true });
      await writeFile(join(staging, BUNDLE, path), content);
      list[path] = sha256(content);
    }
    await writeFile(join(staging, LIST), JSON.stringify(list));
    await rm(join(cache, key), { recursive: true, force: true });
    await rename(staging, join(cache, key));
    for (const entry of await readdir(cache)) if (entry !== key && !entry.startsWith('.')) await rm(join(cache, entry), { recursive: true, force: true });
  } catch {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}
