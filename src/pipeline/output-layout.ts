import { MEDIA_DIR } from '../content/images.js';

/**
 * The names the build writes at the top of `dist/blog/` besides the posts'
 * own folders. It is the one list a post's slug is checked against: a post
 * named like one of them would replace it, or be replaced, without a word.
 */
export const BLOG_OUTPUTS = {
  home: 'index.html',
  /** Older posts of the home page: `page/2/`, `page/3/`… */
  pages: 'page',
  tags: 'tags',
  notFound: '404.html',
  atom: 'feed.xml',
  rss: 'rss.xml',
  json: 'feed.json',
  sitemap: 'sitemap.xml',
  robots: 'robots.txt',
  assets: 'assets',
  media: MEDIA_DIR,
  /** The search page (src/search/). */
  search: 'search',
  /** The search index, Pagefind's bundle. */
  searchIndex: 'pagefind',
} as const;

/**
 * Names a host or a later version may serve at the top of the site: kept
 * free now so that adding them never moves a published post.
 */
const KEPT_FREE = ['email', 'blog', 'favicon', 'well-known'];

/**
 * The key a slug or an output name is compared by: lower case, Unicode NFC,
 * and without an extension, since `feed.xml` and a folder `feed/` share a
 * name on the site and case-insensitive file systems merge `Tags` with `tags`.
 *
 * @param name A slug or the first segment of an output path.
 */
export function outputKey(name: string): string {
  return name.normalize('NFC').toLowerCase().replace(/\..*$/, '');
}

/** Slugs no post may take, as {@link outputKey}s. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([...Object.values(BLOG_OUTPUTS), ...KEPT_FREE].map(outputKey));
