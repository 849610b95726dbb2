import { localeFor } from '../../config/locales.js';
import type { SiteConfig } from '../../config/schema.js';
import type { PostSummary } from '../../content/post.js';
import { machineDate } from '../../content/post-date.js';
import { formatDate, formatReadingTime } from '../format.js';
import { tagSlug } from '../site/tags.js';
import { coverHtml } from './picture.js';

/** The fields of a post that templates show, formatted for its language. */
export interface PostView {
  title: string;
  description?: string;
  summary: string;
  lang: string;
  dir: string;
  slug: string;
  /** Absolute canonical address. */
  url: string;
  /** Address relative to the page it appears on. */
  href: string;
  dateIso: string;
  dateText: string;
  author?: string;
  tags: Array<{ name: string; href: string }>;
  /** The cover, absolute (for Open Graph and email). */
  image?: string;
  /** The cover, relative to the post's page. */
  coverSrc?: string;
  /** The cover as HTML (a `<picture>` for a processed image), for `{{{post.coverHtml}}}`. */
  coverHtml?: string;
  readingTime: string;
}

/**
 * A post as templates see it.
 *
 * @param post   The post.
 * @param config The site configuration.
 * @param root   Relative path from the page showing it to the blog root.
 */
export function postView(post: PostSummary, config: SiteConfig, root: string): PostView {
  return {
    title: post.meta.title,
    description: post.meta.description,
    summary: post.summary,
    lang: post.lang,
    dir: post.dir,
    slug: post.slug,
    url: post.url,
    href: `${root}${encodeURIComponent(post.slug)}/`,
    dateIso: machineDate(post.meta.date, post.date),
    dateText: formatDate(post.date, post.lang, config),
    author: post.meta.author ?? config.author,
    tags: post.meta.tags.map((name) => ({ name, href: `${root}tags/${encodeURIComponent(tagSlug(name))}/` })),
    image: post.cover ? new URL(post.cover, post.url).href : undefined,
    coverSrc: post.cover,
    coverHtml: post.cover ? coverHtml(post.cover, post.coverAlt ?? '', post.pictures) : undefined,
    readingTime: formatReadingTime(post.words, config.wordsPerMinute, post.lang, localeFor(post.lang, config.lang), config),
  };
}
