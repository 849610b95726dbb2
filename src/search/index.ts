import type { SiteConfig } from '../config/schema.js';
import { pageHelpers } from '../render/shared/helpers.js';
import { loadTemplateSet } from '../render/template-set.js';
import { renderSearchPage, SEARCH_PAGE } from './search-page.js';
import { indexBlog, type SearchIndex } from './search-step.js';

export type { SearchIndex } from './search-step.js';

/** What search adds to a build. */
export interface SearchOutputs extends Omit<SearchIndex, 'files'> {
  /** The search page and the index, by path under `dist/blog/`. */
  files: Map<string, string | Uint8Array>;
}

/**
 * The build's search step: after the blog pages are rendered, the search
 * page and the Pagefind index of the pages, or nothing with `search: false`.
 *
 * @param root   The site root.
 * @param config The site configuration.
 * @param blog   The rendered blog by path under `dist/blog/`.
 * @param now    The build's clock.
 * @param cache  `keepIndex: false` (a build that writes nothing) reads the cached index but keeps no new one.
 */
export async function searchOutputs(
  root: string,
  config: SiteConfig,
  blog: ReadonlyMap<string, string | Uint8Array>,
  now: Date,
  cache: { keepIndex: boolean } = { keepIndex: true },
): Promise<SearchOutputs | undefined> {
  if (!config.search) return undefined;
  const index = await indexBlog(root, config, blog, cache.keepIndex);
  const templates = await loadTemplateSet(root, 'page', pageHelpers);
  const files = new Map<string, string | Uint8Array>([[SEARCH_PAGE, renderSearchPage(config, templates, now)], ...index.files]);
  return { ...index, files };
}
