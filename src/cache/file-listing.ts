import { createHash, type Hash } from 'node:crypto';
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { sep } from 'node:path';

/**
 * What a listing keeps of a file's `lstat`: enough to tell that its bytes
 * may have changed (git's index keeps the same). Times are milliseconds with
 * a fraction (about a quarter of a microsecond apart at today's dates):
 * nanosecond `bigint`s cost a listing of 31,000 files a third more, and a
 * file changed twice within that time, to the same size, is already
 * distrusted as written too close to the listing.
 */
export interface ListedFile {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  mode: number;
  /** Whether it is a regular file (not a link or a device). */
  file: boolean;
}

/**
 * Lists every file and link under `folder` (folders are walked, not listed)
 * by path relative to it with `/` separators, with one synchronous `lstat`
 * each: thousands of quick calls cost less than as many trips through
 * libuv's pool.
 *
 * @param folder The folder to walk (a missing one lists nothing).
 * @param keep   Whether to walk or list an absolute path (default: all).
 * @param newest Receives the latest modification time seen (ms).
 */
export function listFiles(folder: string, keep: (path: string) => boolean = () => true, newest?: { ms: number }): Map<string, ListedFile> {
  const files = new Map<string, ListedFile>();
  walkFiles(folder, keep, (path, info) => {
    if (newest) newest.ms = Math.max(newest.ms, info.mtimeMs);
    files.set(path, listedFile(info));
  });
  return files;
}

/**
 * Walks `folder`, each folder's names in sorted order, and gives every file
 * and link that `keep` takes with its `lstat` (see {@link listFiles}).
 */
function walkFiles(folder: string, keep: (path: string) => boolean, visit: (path: string, info: Stats) => void): void {
  const walk = (dir: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = childPath(dir, entry.name);
      if (!keep(path)) continue;
      if (entry.isDirectory()) {
        walk(path, `${prefix}${entry.name}/`);
        continue;
      }
      const info = lstatSync(path, { throwIfNoEntry: false });
      if (info) visit(`${prefix}${entry.name}`, info);
    }
  };
  walk(folder, '');
}

/** `join(folder, name)` for a name read from the folder, without `join`'s normalising (a twentieth of a walk's time, measured on an output folder of 21,600 files). */
function childPath(folder: string, name: string): string {
  return folder.endsWith(sep) ? `${folder}${name}` : `${folder}${sep}${name}`;
}

/**
 * What a listing keeps of one `lstat`.
 *
 * @param info The file's `lstat`.
 */
export function listedFile(info: Stats): ListedFile {
  return { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, mode: info.mode, file: info.isFile() };
}

/**
 * A SHA-256 of listings: each folder's name, then its files in the order of
 * a walk that sorts each folder's names, with their size, times, inode and mode. Two
 * listings hash alike exactly when they hold the same files with the same
 * `lstat`; {@link folderListingHash} gives the same hash without the listing.
 *
 * @param listings Each folder with its listing.
 */
export function listingHash(listings: readonly (readonly [folder: string, files: ReadonlyMap<string, ListedFile>])[]): string {
  const hash = createHash('sha256');
  for (const [folder, files] of listings) {
    hash.update(`${folder}\0`);
    // A folder's files come where its name sorts among its siblings: paths with `/` as `\0`, the lowest character, sort so.
    const paths = [...files.keys()].map((path) => path.replaceAll('/', '\0')).sort();
    const lines = linesInto(hash);
    for (const key of paths) {
      const path = key.replaceAll('\0', '/');
      lines.add(path, files.get(path) as ListedFile);
    }
    lines.end();
  }
  return hash.digest('hex');
}

/**
 * {@link listingHash} of one folder, hashed while it is walked (as
 * {@link listFiles} walks it) rather than from a listing: the "nothing
 * changed" check walks an output folder of tens of thousands of files, and
 * a listing's objects cost that check a third of its time in allocation
 * and garbage collection.
 *
 * @param folder The folder to walk (a missing one lists nothing).
 */
export function folderListingHash(folder: string): string {
  const hash = createHash('sha256');
  hash.update(`${folder}\0`);
  const lines = linesInto(hash);
  walkFiles(folder, () => true, (path, info) => lines.add(path, info));
  lines.end();
  return hash.digest('hex');
}

/**
 * Feeds a listing's lines to `hash` (path, size, times, inode, mode) in
 * chunks: one `update` per file costs a trip into C++ each.
 */
function linesInto(hash: Hash): { add(path: string, info: Pick<ListedFile, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino' | 'mode'>): void; end(): void } {
  let chunk = '';
  return {
    add(path, info) {
      chunk += `${path}\0${info.size}\0${info.mtimeMs}\0${info.ctimeMs}\0${info.ino}\0${info.mode}\n`;
      if (chunk.length < 1 << 16) return;
      hash.update(chunk);
      chunk = '';
    },
    end: () => hash.update(chunk),
  };
}
