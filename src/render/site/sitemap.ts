import { create } from 'xmlbuilder2';
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
  const urlset = create({ version: '1.0', encoding: 'utf-8' }).ele('http://www.sitemaps.org/schemas/sitemap/0.9', 'urlset');
  for (const entry of entries) {
    const url = urlset.ele('url');
    url.ele('loc').txt(pageUrl(entry.path, config));
    if (entry.lastModified) url.ele('lastmod').txt(calendarDay(entry.lastModified, config.timeZone));
  }
  return urlset.end({ prettyPrint: true });
}

/**
 * `robots.txt`: everything may be crawled; the sitemap is named.
 *
 * @param config The site configuration.
 */
export function robotsTxt(config: SiteConfig): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${new URL('sitemap.xml', config.url).href}\n`;
}
