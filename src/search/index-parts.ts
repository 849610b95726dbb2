import { createHash } from 'node:crypto';

/**
 * Pages per part of the search index, unless `SAHIFA_SEARCH_PART_PAGES`
 * says otherwise. Pagefind has no incremental indexing: a site whose index
 * is one whole indexes every page again when one changes (a few ms a page).
 * Cut into parts, an edit indexes only its page's part, and the search page
 * merges the parts (Pagefind's `mergeIndex`), one more small request per
 * part and word searched.
 */
export const PART_PAGES = 256;

/** No more parts than this, however large the site: each is one more request per word searched. */
export const MAX_PARTS = 32;

/**
 * The pages per part of the index for this build: `SAHIFA_SEARCH_PART_PAGES`
 * when it holds a whole number of at least 1, else {@link PART_PAGES}.
 *
 * @param environment The process's environment.
 */
export function partPages(environment: NodeJS.ProcessEnv = process.env): number {
  const given = Number(environment.SAHIFA_SEARCH_PART_PAGES);
  return Number.isSafeInteger(given) && given >= 1 ? given : PART_PAGES;
}

/**
 * How many parts an index of `pages` pages is cut into: 1 up to
 * `perPart` pages, then the next power of two at or above `pages ÷ perPart`,
 * at most {@link MAX_PARTS}. A power of two, so a site that grows past a
 * step re-deals its pages only then, not with every new post.
 *
 * @param pages   Pages indexed.
 * @param perPart Pages per part ({@link partPages}).
 */
export function partCount(pages: number, perPart: number): number {
  let parts = 1;
  while (parts < MAX_PARTS && parts * perPart < pages) parts *= 2;
  return parts;
}

/**
 * The part a page's record goes into, from a hash of its path alone: a page
 * stays in its part while others come and go, so an edit or a new post
 * changes one part.
 *
 * @param path  The page's path under `dist/blog/`.
 * @param parts {@link partCount}.
 */
export function partOf(path: string, parts: number): number {
  return parts === 1 ? 0 : createHash('sha256').update(path).digest().readUInt32BE(0) % parts;
}

/**
 * The folder under `pagefind/` of a part: the first part written is
 * Pagefind's usual bundle, `pagefind/` itself (the one `pagefind.js` the
 * search page loads); the others are `pagefind/<number>/` by their number,
 * so a part keeps its folder when another part fills or empties.
 *
 * @param number The part's number.
 * @param first  Whether it is the first part written (parts with no page are not written).
 */
export function partFolder(number: number, first: boolean): string {
  return first ? '' : `${number}/`;
}

/** A part of the index: its number among the parts dealt, how many were dealt, its pages, and its folder under `pagefind/`. */
export interface IndexPart {
  number: number;
  of: number;
  pages: string[];
  folder: string;
}

/**
 * The pages of an index dealt into its parts ({@link partCount},
 * {@link partOf}). A part that got no page is left out (Pagefind's script
 * refuses to merge an index with no language); the first part left goes in
 * `pagefind/` itself, as does the empty index of a site with no page to
 * index.
 *
 * @param pages   The indexed pages' paths, in order.
 * @param perPart Pages per part ({@link partPages}).
 */
export function dealParts(pages: readonly string[], perPart: number): IndexPart[] {
  const of = partCount(pages.length, perPart);
  const dealt = Array.from({ length: of }, (_, number) => ({ number, of, pages: [] as string[] }));
  for (const path of pages) dealt[partOf(path, of)]!.pages.push(path);
  const filled = dealt.filter((part) => part.pages.length > 0);
  return (filled.length > 0 ? filled : dealt.slice(0, 1)).map((part, place) => ({ ...part, folder: partFolder(part.number, place === 0) }));
}

/** Where the list of the other parts is written under `pagefind/`, for the search page's script. */
export const PARTS_FILE = 'parts.json';
