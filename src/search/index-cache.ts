import { createHash, randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { leftBehind } from '../system/left-behind.js';

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

/** The list of a cached index's files with their SHA-256, size and time, beside them. */
const LIST = 'files.json';
/** The folder of the index's files inside a key's folder. */
const BUNDLE = 'bundle';

const sha256 = (content: Uint8Array) => createHash('sha256').update(content).digest('hex');

/** One file of an index: its SHA-256 (hex), its size, and its modification time (ms) when it was kept. */
export type IndexFileEntry = readonly [sha256: string, size: number, mtimeMs: number];

/** A search index on disk: its bundle folder and its files, by path inside the bundle. */
export interface IndexFolder {
  /** The bundle folder. */
  folder: string;
  /** Each file, by its path inside the folder (`/`-separated). */
  files: Record<string, IndexFileEntry>;
}

/** A file of a cached index, known by its hash and size, read only when the output does not hold it already. */
export interface KeptFile {
  sha256: string;
  size: number;
  /** The file's bytes, checked against its hash. */
  read(): Promise<Uint8Array>;
}

/**
 * Whether `path` can name a file of a Pagefind bundle: `/`-separated names
 * of letters, digits, `_`, `.` and `-` (`fragment/ar_1a2b.pf_fragment`),
 * none of them `.` or `..`, so it stays inside the bundle.
 *
 * @param path The path inside the bundle.
 */
export function isBundlePath(path: string): boolean {
  return /^(?:[\w.-]+\/)*[\w.-]+$/.test(path) && !path.split('/').some((part) => /^\.+$/.test(part));
}

const isEntry = (value: unknown): value is IndexFileEntry =>
  Array.isArray(value) && value.length === 3 && typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number';

/**
 * The index cached under `key`, or `undefined` when the cache holds nothing
 * under it, or an index that is not whole (a file missing, changed or
 * unreadable): the index is then built again. A file whose size and time
 * are as they were when it was kept is taken as it was (the trust the build
 * stamp gives post files); any other is read and hashed, one at a time.
 *
 * @param root The site root.
 * @param key  The hash of what the index was built from.
 */
export async function readCachedIndex(root: string, key: string): Promise<IndexFolder | undefined> {
  const folder = join(searchCacheDir(root), key);
  try {
    const files = JSON.parse(await readFile(join(folder, LIST), 'utf8')) as Record<string, unknown>;
    const paths = Object.keys(files);
    if (paths.length === 0) return undefined;
    for (const path of paths) {
      const entry = files[path];
      // Paths come from Pagefind; anything else means the list was tampered with.
      if (!isEntry(entry) || !isBundlePath(path)) return undefined;
      const file = join(folder, BUNDLE, path);
      // Synchronous: thousands of quick system calls for a large site, each a trip through libuv's pool otherwise.
      const info = lstatSync(file);
      if (!info.isFile() || info.size !== entry[1]) return undefined;
      if (info.mtimeMs !== entry[2] && sha256(await readFile(file)) !== entry[0]) return undefined;
    }
    // A list that lost an entry would leave that file out of the output: the bundle must hold exactly the files listed.
    const held = (await readdir(join(folder, BUNDLE), { recursive: true, withFileTypes: true })).filter((entry) => !entry.isDirectory()).length;
    if (held !== paths.length) return undefined;
    // Marked used: another build's {@link keepOnly} leaves it alone while this one may still read it.
    const now = new Date();
    await utimes(folder, now, now).catch(() => undefined);
    return { folder: join(folder, BUNDLE), files: files as Record<string, IndexFileEntry> };
  } catch {
    return undefined;
  }
}

/** A staging folder's name (see {@link newIndexFolder}), the writer's process id in group 1. */
const STAGING = /^\.[0-9a-f]{64}-(\d+)-[0-9a-f]{8}$/;

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
 * file's hash, size and time are added to `files` as it is read, for
 * {@link keepIndex}.
 *
 * @param bundle The bundle folder.
 * @param files  Filled with each file's entry, by path inside the bundle.
 */
export async function* readNewIndex(bundle: string, files: Record<string, IndexFileEntry>): AsyncGenerator<[string, Uint8Array]> {
  for (const entry of await readdir(bundle, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const content = await readFile(file);
    const path = relative(bundle, file).split(sep).join('/');
    files[path] = [sha256(content), content.byteLength, (await lstat(file)).mtimeMs];
    yield [path, content];
  }
}

/**
 * Keeps a staged index as the index for `key`: its list is written beside
 * it and the staging folder renamed, so a reader sees a whole index or
 * none. When the cache already holds a sound index for `key` (another build
 * into another output folder made it meanwhile, and may be reading it), that
 * one stays and the staged one goes; an unsound one is moved aside before
 * the new one takes its name. A cache that cannot be written costs only the
 * next build's time, so failures are ignored (and the staging folder
 * removed).
 *
 * @param root    The site root.
 * @param key     The hash of what the index was built from.
 * @param staging The staging folder from {@link newIndexFolder}.
 * @param files   Each of the bundle's files, by path ({@link readNewIndex}).
 */
export async function keepIndex(root: string, key: string, staging: string, files: Record<string, IndexFileEntry>): Promise<void> {
  const cache = searchCacheDir(root);
  const target = join(cache, key);
  // Named as a staging folder, so that a build killed in between leaves it for keepOnly to sweep.
  const aside = join(cache, `.${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    if (await readCachedIndex(root, key)) return await dropIndex(staging);
    await writeFile(join(staging, LIST), JSON.stringify(files));
    await rename(target, aside).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, target);
  } catch {
    await dropIndex(staging);
  }
  await dropIndex(aside);
}

/** How long a cached index no build of this site asked for is kept: another build (`sahifa dev --drafts` beside `sahifa build`, another output folder) may be reading it or want it again soon. */
export const KEEP_UNUSED_INDEX_MS = 60 * 60 * 1000;

/**
 * Removes the cached indexes other than `keys` (the parts of this build's
 * index) that no build has used for {@link KEEP_UNUSED_INDEX_MS} (their
 * folder's time, renewed by {@link readCachedIndex}), and the staging
 * folders of builds that died (killed mid-index: their process id is in the
 * name); a live build's staging folders and files are left alone. Failures
 * are ignored, as in {@link keepIndex}.
 *
 * @param root The site root.
 * @param keys The keys to keep.
 * @param now  The clock, in milliseconds since 1970.
 */
export async function keepOnly(root: string, keys: ReadonlySet<string>, now = Date.now()): Promise<void> {
  const cache = searchCacheDir(root);
  const folders = (await readdir(cache, { withFileTypes: true }).catch(() => [])).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const unused = [];
  for (const name of folders.filter((folder) => !keys.has(folder) && !folder.startsWith('.'))) {
    const info = await stat(join(cache, name)).catch(() => undefined);
    if (!info || info.mtimeMs <= now - KEEP_UNUSED_INDEX_MS) unused.push(name);
  }
  for (const name of [...unused, ...leftBehind(folders, STAGING)]) await rm(join(cache, name), { recursive: true, force: true }).catch(() => undefined);
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
 * The files of an index on disk, each known by its hash and size and read
 * (and checked against its hash) only when asked.
 *
 * @param index The index.
 */
export function keptFiles(index: IndexFolder): Array<[string, KeptFile]> {
  return Object.entries(index.files).map(([path, [hash, size]]) => {
    const file = join(index.folder, path);
    const read = async () => {
      const content = await readFile(file).catch(() => undefined);
      if (content !== undefined && sha256(content) === hash) return content;
      // Dropped, so that the next build makes this part again rather than trip on it.
      await rm(dirname(index.folder), { recursive: true, force: true }).catch(() => undefined);
      throw new Error(`${file} changed after the build checked it (the cached search index was altered meanwhile): build again`);
    };
    return [path, { sha256: hash, size, read }];
  });
}
