import type { SiteConfig } from '../config/schema.js';
import { pageReferences, type PageReferences } from '../pipeline/page-references.js';
import type { TemplateSet } from '../render/template-set.js';
import { renderSearchPage, SEARCH_PAGE } from './search-page.js';
import type { RecordCache } from './record-cache.js';
import { indexBlog, type BuiltPages, type IndexFile, type SearchIndex } from './search-step.js';

export type { BuiltPages, IndexFile, SearchIndex } from './search-step.js';

/** What search adds to a build. */
export interface SearchOutputs extends Omit<SearchIndex, 'files'> {
  /** The search page and the index, by path under `dist/blog/`, read one at a time as they are iterated (once, to the end); a file of a cached part of the index comes as its hash and size, to be read only when the output lacks it. */
  files: AsyncIterable<readonly [string, string | IndexFile]>;
  /** The search page's path under `dist/blog/` and its links, for the build's link check. */
  page: { path: string; references: PageReferences };
}

/** What the search step renders with. */
export interface SearchContext {
  /** The page templates of the build. */
  templates: TemplateSet;
  /** The build's clock. */
  now: Date;
  /** `false` (a build that writes nothing) reads the cached index but keeps no new one. */
  keepIndex: boolean;
  /** The build's search record cache, when it opened one for the post stage. */
  records?: RecordCache;
}

/**
 * The build's search step: after the blog pages are written, the search
 * page and the Pagefind index of the pages, or nothing with `search: false`.
 *
 * @param root    The site root.
 * @param config  The site configuration.
 * @param pages   The blog pages written, by path under `dist/blog/`, and a way to read each.
 * @param context Templates, clock and whether a new index is cached.
 */
export async function searchOutputs(root: string, config: SiteConfig, pages: BuiltPages, context: SearchContext): Promise<SearchOutputs | undefined> {
  if (!config.search) return undefined;
  const index = await indexBlog(root, config, pages, context.keepIndex, context.records);
  const html = renderSearchPage(config, context.templates, context.now);
  async function* files(): AsyncGenerator<readonly [string, string | IndexFile]> {
    yield [SEARCH_PAGE, html];
    yield* index.files;
  }
  return { ...index, files: files(), page: { path: SEARCH_PAGE, references: pageReferences(html) } };
}
