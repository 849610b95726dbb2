import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { outputKey, RESERVED_SLUGS } from '../pipeline/output-layout.js';

/** What a publish adds, changes and removes at its destination, by path. */
export interface Changes {
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * Every file under a folder with the SHA-256 of its content, by path with `/`
 * separators (an empty map when the folder does not exist).
 *
 * @param folder The folder.
 */
export async function hashTree(folder: string): Promise<Map<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const hashes = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    hashes.set(relative(folder, path).split(sep).join('/'), createHash('sha256').update(await readFile(path)).digest('hex'));
  }
  return hashes;
}

/**
 * The difference between what is published and what will be.
 *
 * @param before Files now at the destination, with hashes.
 * @param after  Files to publish, with hashes.
 */
export function compareTrees(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Changes {
  const sorted = (paths: Iterable<string>) => [...paths].sort();
  return {
    added: sorted([...after.keys()].filter((path) => !before.has(path))),
    changed: sorted([...after.keys()].filter((path) => before.has(path) && before.get(path) !== after.get(path))),
    removed: sorted([...before.keys()].filter((path) => !after.has(path))),
  };
}

/** True when there is nothing to publish. */
export function isEmpty(changes: Changes): boolean {
  return changes.added.length + changes.changed.length + changes.removed.length === 0;
}

/**
 * The posts a change touches, from their pages' paths (`<slug>/index.html`).
 *
 * @param paths Changed paths under the blog's root.
 */
export function postSlugs(paths: readonly string[]): string[] {
  return paths
    .map((path) => /^([^/]+)\/index\.html$/.exec(path)?.[1])
    // Folders the site itself writes (tags/, search/…) are never posts: no post may take their names.
    .filter((slug): slug is string => slug !== undefined && !RESERVED_SLUGS.has(outputKey(slug)));
}
