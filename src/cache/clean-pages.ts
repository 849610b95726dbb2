import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PageReferences } from '../pipeline/page-references.js';
import { cacheRoot } from './cache-root.js';
import { readKeyedJson, writeKeyedJson } from './keyed-json.js';

/** Where the pages found clean are kept, under the cache. */
const FILE = join('links', 'clean.json');

/** The search index's files under `blog/`: Pagefind names most after their content, so an edit renames some. */
const SEARCH_INDEX = 'blog/pagefind/';

/**
 * Whether a page's links may point into the search index (see
 * {@link targetsDigest}): such a page is checked by every build.
 *
 * @param page The page's ids and references.
 */
export function mayLinkIntoIndex(page: PageReferences): boolean {
  return page.links.some((link) => /pagefind/i.test(link.value));
}

/**
 * What a page's links resolve against: every file of the output and the ids
 * of every page. Two builds with the same digest give a page with the same
 * bytes the same answer from the link check. The search index's files are
 * left out (an edit of one word renames some of them, and would make every
 * page be checked again when search is on): a page that may link into them
 * ({@link mayLinkIntoIndex}) is never remembered.
 *
 * @param files The paths of the build's output.
 * @param pages The ids and references of each HTML page, by path under `blog/`.
 */
export function targetsDigest(files: Iterable<string>, pages: ReadonlyMap<string, PageReferences>): string {
  const hash = createHash('sha256');
  for (const path of [...files].filter((file) => !file.startsWith(SEARCH_INDEX)).sort()) hash.update(`${path}\0`);
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
  const pages = await readKeyedJson(join(cacheRoot(root), FILE), `${context}\0${targets}`);
  if (typeof pages !== 'object' || pages === null) return new Map();
  return new Map(Object.entries(pages as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/**
 * Keeps the pages this build's link check found clean, for the next build
 * ({@link readCleanPages}).
 *
 * @param root    The site root.
 * @param context The build's fingerprint.
 * @param targets {@link targetsDigest} of this build.
 * @param pages   SHA-256 of each clean page, by path under `blog/`.
 */
export async function writeCleanPages(root: string, context: string, targets: string, pages: ReadonlyMap<string, string>): Promise<void> {
  await writeKeyedJson(join(cacheRoot(root), FILE), `${context}\0${targets}`, Object.fromEntries(pages));
}
