import type { SiteConfig } from '../../config/schema.js';
import { calendarDay } from '../../content/post-date.js';

/** A page for the sitemap: its path under `dist/blog/` and, for posts, a date. */
export interface SitemapEntry {
  /** Path of the page's file, e.g. `talks/index.html`. */
  path: string;
  lastModified?: Date;
}

/**
 * The public address of a page file: `talks/index.html` →
 * `https://example.org/talks/`, each segment percent-encoded.
 *
 * @param path   The file's path under `dist/blog/`.
 * @param config The site configuration.
 */
export function pageUrl(path: string, config: Pick<SiteConfig, 'url'>): string {
  const folder = path.replace(/(^|\/)index\.html$/, '$1');
  return new URL(folder.split('/').map(encodeURIComponent).join('/'), config.url).href;
}

/**
 * `sitemap.xml`: every page with its absolute address, posts with `lastmod`.
 *
 * @param entries The pages.
 * @param config  The site configuration.
 */
export function sitemap(entries: readonly SitemapEntry[], config: SiteConfig): string {
  // Written as text, not through an XML builder: a builder makes a DOM node of every element (0.6 s for
  // 4,000 posts) for a format of three fixed elements around escaped text; the bytes are the builder's.
  const head = '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';
  if (entries.length === 0) return `${head}/>`;
  const days = new Map<number, string>();
  const dayOf = (date: Date) => {
    let day = days.get(date.getTime());
    if (day === undefined) days.set(date.getTime(), (day = calendarDay(date, config.timeZone)));
    return day;
  };
  const urls = entries.map((entry) => {
    const lastmod = entry.lastModified ? `\n    <lastmod>${dayOf(entry.lastModified)}</lastmod>` : '';
    return `\n  <url>\n    <loc>${xmlText(pageUrl(entry.path, config))}</loc>${lastmod}\n  </url>`;
  });
  return `${head}>${urls.join('')}\n</urlset>`;
}

/** Text escaped for an XML element's content. */
function xmlText(text: string): string {
  return text.replace(/[&<>]/g, (character) => (character === '&' ? '&amp;' : character === '<' ? '&lt;' : '&gt;'));
}

/**
 * `robots.txt`: everything may be crawled; the sitemap is named.
 *
 * @param config The site configuration.
 */
export function robotsTxt(config: SiteConfig): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${new URL('sitemap.xml', config.url).href}\n`;
}
