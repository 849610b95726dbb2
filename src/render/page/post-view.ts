import { createHash } from 'node:crypto';
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
  const fixed = fixedParts(post, config);
  let view = fixed.views.get(root);
  if (!view) fixed.views.set(root, (view = viewAt(post, config, root, fixed)));
  return view;
}

function viewAt(post: PostSummary, config: SiteConfig, root: string, fixed: FixedParts): PostView {
  return {
    title: post.meta.title,
    description: post.meta.description,
    summary: post.summary,
    lang: post.lang,
    dir: post.dir,
    slug: post.slug,
    url: post.url,
    href: `${root}${fixed.slugPath}/`,
    dateIso: fixed.dateIso,
    dateText: fixed.dateText,
    author: post.meta.author ?? config.author,
    tags: fixed.tagPaths.map(([name, path]) => ({ name, href: `${root}tags/${path}/` })),
    image: fixed.image,
    coverSrc: post.cover,
    coverHtml: fixed.coverHtml,
    readingTime: fixed.readingTime,
  };
}

/**
 * A SHA-256 of everything of a post that {@link postView} reads: with the
 * site configuration (which a page's key holds in the build's fingerprint)
 * and the page's depth, it decides the post's view, so a list page can be
 * keyed without making the views of the posts it shows. The whole front
 * matter is taken, not only the fields a view shows today: a field that a
 * view comes to show is covered already. Made once per post.
 *
 * @param post The post.
 */
export function postDigest(post: PostSummary): string {
  let digest = digests.get(post);
  if (digest === undefined) {
    const { meta, summary, lang, dir, slug, url, date, words, cover, coverAlt, pictures } = post;
    const picture = cover === undefined ? undefined : pictures?.get(cover);
    digest = createHash('sha256').update(JSON.stringify([meta, summary, lang, dir, slug, url, date.getTime(), words, cover, coverAlt, picture])).digest('hex');
    digests.set(post, digest);
  }
  return digest;
}

const digests = new WeakMap<PostSummary, string>();

/** The parts of a post's view that do not depend on the page showing it, and its views by root (the same object each time: views are not changed once made). */
interface FixedParts {
  views: Map<string, PostView>;
  slugPath: string;
  dateIso: string;
  dateText: string;
  tagPaths: [name: string, path: string][];
  image?: string;
  coverHtml?: string;
  readingTime: string;
}

/** Formatted once per post and configuration: a post appears on the home page, its tags' pages and its own. */
const fixedByConfig = new WeakMap<SiteConfig, WeakMap<PostSummary, FixedParts>>();

function fixedParts(post: PostSummary, config: SiteConfig): FixedParts {
  let byPost = fixedByConfig.get(config);
  if (!byPost) fixedByConfig.set(config, (byPost = new WeakMap()));
  let fixed = byPost.get(post);
  if (!fixed) {
    fixed = {
      views: new Map(),
      slugPath: encodeURIComponent(post.slug),
      dateIso: machineDate(post.meta.date, post.date),
      dateText: formatDate(post.date, post.lang, config),
      tagPaths: post.meta.tags.map((name) => [name, encodeURIComponent(tagSlug(name))]),
      image: post.cover ? new URL(post.cover, post.url).href : undefined,
      coverHtml: post.cover ? coverHtml(post.cover, post.coverAlt ?? '', post.pictures) : undefined,
      readingTime: formatReadingTime(post.words, config.wordsPerMinute, post.lang, localeFor(post.lang, config.lang), config),
    };
    byPost.set(post, fixed);
  }
  return fixed;
}
