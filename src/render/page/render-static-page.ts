import { toHtml } from 'hast-util-to-html';
import type { Page } from '../../content/page.js';
import { isolateFootnoteRefs } from '../footnote-direction.js';
import { outlineHeadings } from '../heading-outline.js';
import { baseContext, ogLocale } from './page-context.js';
import { withPictures } from './picture.js';
import type { PageRenderOptions } from './render-pages.js';

/**
 * The blog page of one page of `pages/`: `<slug>/index.html`, with the site's
 * header (its menu marking this page as current), the body and the subscribe
 * footer; no date, author, tags or share links.
 *
 * @param page    The page.
 * @param options Configuration, templates and clock.
 */
export function renderStaticPage(page: Page, options: PageRenderOptions): string {
  const { config } = options;
  const base = baseContext(config, page.lang, '../', options.now);
  const path = `${encodeURIComponent(page.slug)}/`;
  const nav = base.nav.map((link) => ({ ...link, current: link.path !== undefined && samePath(link.path, path) }));
  const title = page.meta.title;
  return options.templates.render('page.hbs', {
    ...base,
    nav,
    page: {
      lang: page.lang,
      dir: page.dir,
      title,
      documentTitle: `${title} – ${config.title}`,
      description: page.summary,
      canonical: page.url,
      type: 'website',
      ogLocale: ogLocale(page.lang),
      jsonLd: {
        '@context': 'https://schema.org',
        '@type': 'WebPage',
        name: title,
        description: page.summary,
        inLanguage: page.lang,
        url: page.url,
        isPartOf: { '@type': 'WebSite', name: config.title, url: config.url },
      },
    },
    staticPage: { title, description: page.meta.description, dir: page.dir, lang: page.lang, html: toHtml(withPictures(isolateFootnoteRefs(outlineHeadings(page.tree), page.dir), page.pictures, true)) },
  });
}

/** `about/` and `About/`, or `من-نحن/` written plain and percent-encoded, are the same page. */
function samePath(a: string, b: string): boolean {
  const plain = (path: string) => {
    try {
      return decodeURIComponent(path).normalize('NFC').toLowerCase();
    } catch {
      return path;
    }
  };
  return plain(a) === plain(b);
}
