import { directionOf } from '../config/direction.js';
import type { SiteConfig } from '../config/schema.js';
import { BLOG_OUTPUTS } from '../pipeline/output-layout.js';
import { baseContext, ogLocale } from '../render/page/page-context.js';
import type { TemplateSet } from '../render/template-set.js';
import { SEARCH_NORMALIZATION } from './normalize.js';

/** Where the search page is written under `dist/blog/`. */
export const SEARCH_PAGE = `${BLOG_OUTPUTS.search}/index.html`;

/**
 * The search page, `search/index.html`, in the site's language and
 * direction. The form and the results are the work of
 * `assets/search.js`; without JavaScript the page says so and links to the
 * tag pages. The query normalisation table goes in as JSON, for the script.
 *
 * @param config    The site configuration.
 * @param templates The page branch's templates.
 * @param now       The build's clock (copyright year).
 */
export function renderSearchPage(config: SiteConfig, templates: TemplateSet, now: Date): string {
  const root = '../';
  const base = baseContext(config, config.lang, root, now);
  const canonical = new URL(`${BLOG_OUTPUTS.search}/`, config.url).href;
  const documentTitle = `${base.strings.search} – ${config.title}`;
  return templates.render('search.hbs', {
    ...base,
    normalization: SEARCH_NORMALIZATION.map(({ pattern, replacement }) => ({ pattern, replacement })),
    page: {
      lang: config.lang,
      dir: directionOf(config.lang),
      title: documentTitle,
      documentTitle,
      description: base.strings.searchLabel,
      canonical,
      type: 'website',
      ogLocale: ogLocale(config.lang),
      noindex: true,
      jsonLd: { '@context': 'https://schema.org', '@type': 'SearchResultsPage', name: documentTitle, url: canonical, inLanguage: config.lang },
    },
  });
}
