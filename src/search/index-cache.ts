import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

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

/** A search index on disk: its bundle folder and each file's SHA-256, by path inside the bundle. */
export interface IndexFolder {
  /** The bundle folder. */
  folder: string;
  /** SHA-256 (hex) of each file, by its path inside the folder (`/`-separated). */
  files: Record<string, string>;
}

/**
 * The index cached under `key`, or `undefined` when the cache holds another
 * key, nothing, or an index that is not whole (a file missing, changed or
 * unreadable): the index is then built again. Each file is read and hashed
 * in turn; none is kept in memory.
 *
 * @param root The site root.
 * @param key  The hash of what the index was built from.
 */
export async function readCachedIndex(root: string, key: string): Promise<IndexFolder | undefined> {
  const folder = join(searchCacheDir(root), key);
  try {
    const files = JSON.parse(await readFile(join(folder, LIST), 'utf8')) as Record<string, string>;
    const paths = Object.keys(files);
    if (paths.length === 0) return undefined;
    for (const path of paths) {
      // Paths come from Pagefind (`fragment/ar_1a2b.pf_fragment`); anything else means the list was tampered with.
      if (!/^(?:[\w.-]+\/)*[\w.-]+$/.test(path) || path.split('/').some((part) => /^\.+$/.test(part))) return undefined;
      if (sha256(await readFile(join(folder, BUNDLE, path))) !== files[path]) return undefined;
    }
    return { folder: join(folder, BUNDLE), files };
  } catch {
    return undefined;
  }
}

/**
 * A new folder, under the search cache, for Pagefind to write an index into
 * (the bundle folder, not yet created), and its staging folder, which
 * {@link keepIndex} renames into place or {@link dropIndex} removes.
 *
 * @param root The site root.
 * @param key  The hash of what the index is built from.
 */
export async function newIndexFolder(root: string, key: string): Promise<{ staging: string; bundle: string }> {
  const staging = join(searchCacheDir(root), `.${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  return { staging, bundle: join(staging, BUNDLE) };
}

/**
 * The files of an index Pagefind just wrote, read one at a time; each
 * file's SHA-256 is added to `hashes` as it is read, for {@link keepIndex}.
 *
 * @param bundle The bundle folder.
 * @param hashes Filled with each file's SHA-256 (hex), by path inside the bundle.
 */
export async function* readNewIndex(bundle: string, hashes: Record<string, string>): AsyncGenerator<[string, Uint8Array]> {
  for (const entry of await readdir(bundle, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const content = await readFile(file);
    const path = relative(bundle, file).split(sep).join('/');
    hashes[path] = sha256(content);
    yield [path, content];
  }
}

/**
 * Keeps a staged index as the index for `key`, replacing the index kept
 * before: its list is written beside it and the staging folder renamed, so
 * a reader sees a whole index or none. A cache that cannot be written costs
 * only the next build's time, so failures are ignored (and the staging
 * folder removed).
 *
 * @param root    The site root.
 * @param key     The hash of what the index was built from.
 * @param staging The staging folder from {@link newIndexFolder}.
 * @param hashes  SHA-256 of each of the bundle's files, by path ({@link readNewIndex}).
 */
export async function keepIndex(root: string, key: string, staging: string, hashes: Record<string, string>): Promise<void> {
  const cache = searchCacheDir(root);
  try {
    await writeFile(join(staging, LIST), JSON.stringify(hashes));
    await rm(join(cache, key), { recursive: true, force: true });
    await rename(staging, join(cache, key));
    for (const entry of await readdir(cache)) if (entry !== key && !entry.startsWith('.')) await rm(join(cache, entry), { recursive: true, force: true });
  } catch {
    await dropIndex(staging);
  }
}

/**
 * Removes a staging folder from {@link newIndexFolder} (a failed or uncached index).
 *
 * @param staging The folder.
 */
export async function dropIndex(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * The files of an index on disk, read one at a time, each checked against
 * its hash.
 *
 * @param index The index.
 * @throws {Error} when a file changed or went missing since it was listed (another build replaced the cache meanwhile).
 */
export async function* readIndexFiles(index: IndexFolder): AsyncGenerator<[string, Uint8Array]> {
  for (const [path, hash] of Object.entries(index.files)) {
    const file = join(index.folder, path);
    const content = await readFile(file).catch(() => undefined);
    if (content === undefined || sha256(content) !== hash) throw new Error(`${file} changed while the build read it (another build of this site replaced the cached search index): build again`);
    yield [path, content];
  }
}
