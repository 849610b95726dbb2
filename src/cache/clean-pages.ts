import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PageReferences } from '../pipeline/page-references.js';
import { cacheRoot } from './cache-root.js';

/** Where the pages found clean are kept, under the cache. */
const FILE = join('links', 'clean.json');

/**
 * What a page's links resolve against: every file of the output and the ids
 * of every page. Two builds with the same digest give a page with the same
 * bytes the same answer from the link check.
 *
 * @param files The paths of the build's output.
 * @param pages The ids and references of each HTML page, by path under `blog/`.
 */
export function targetsDigest(files: Iterable<string>, pages: ReadonlyMap<string, PageReferences>): string {
  const hash = createHash('sha256');
  for (const path of [...files].sort()) hash.update(`${path}\0`);
  for (const path of [...pages.keys()].sort()) hash.update(`\n${path}\0${[...pages.get(path)!.ids].join('\0')}`);
  return hash.digest('hex');
}

/**
 * The pages the last link check found nothing wrong with, by path under
 * `blog/` with the SHA-256 of their bytes, when it ran with this context
 * (sahifa, the configuration, the templates: the build's fingerprint) and
 * these targets ({@link targetsDigest}); none otherwise. Such a page, with
 * the same bytes, is clean again: at 4,000 posts this spares checking about
 * 90,000 references after an edit. A page with a problem is not kept, so its
 * problem is found and reported again by each build.
 *
 * @param root    The site root.
 * @param context The build's fingerprint.
 * @param targets {@link targetsDigest} of this build.
 */
export async function readCleanPages(root: string, context: string, targets: string): Promise<ReadonlyMap<string, string>> {
  try {
    const stored = JSON.parse(await readFile(join(cacheRoot(root), FILE), 'utf8')) as { context?: unknown; targets?: unknown; pages?: unknown };
    if (stored.context !== context || stored.targets !== targets || typeof stored.pages !== 'object' || stored.pages === null) return new Map();
    return new Map(Object.entries(stored.pages as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return new Map();
  }
}

/**
 * Keeps the pages this build's link check found clean, for the next build
 * ({@link readCleanPages}): written beside and renamed into place. A cache
 * that cannot be written costs only the next build's time, so failures are
 * ignored.
 *
 * @param root    The site root.
 * @param context The build's fingerprint.
 * @param targets {@link targetsDigest} of this build.
 * @param pages   SHA-256 of each clean page, by path under `blog/`.
 */
export async function writeCleanPages(root: string, context: string, targets: string, pages: ReadonlyMap<string, string>): Promise<void> {
  const file = join(cacheRoot(root), FILE);
  const staged = `${file}.${process.pid}`;
  try {
    await mkdir(join(cacheRoot(root), 'links'), { recursive: true });
    await writeFile(staged, JSON.stringify({ context, targets, pages: Object.fromEntries(pages) }));
    await rename(staged, file);
  } catch {
    // The next build checks every page.
  }
}
