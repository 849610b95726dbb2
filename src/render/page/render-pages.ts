import { toHtml } from 'hast-util-to-html';
import { directionOf } from '../../config/direction.js';
import { localeFor } from '../../config/locales.js';
import type { SiteConfig } from '../../config/schema.js';
import type { Post } from '../../content/post.js';
import { formatDate, formatReadingTime } from '../format.js';
import type { TemplateSet } from '../template-set.js';
import { baseContext, ogLocale } from './page-context.js';
import { shareLinks } from './share-links.js';

/** What the page renderers need. */
export interface PageRenderOptions {
  config: SiteConfig;
  /** The page branch's templates. */
  templates: TemplateSet;
  /** The build's clock (copyright year). */
  now: Date;
}

/** The fields of a post that templates show, formatted for its language. */
function postView(post: Post, config: SiteConfig) {
  return {
    title: post.meta.title,
    description: post.meta.description,
    summary: post.summary,
    lang: post.lang,
    dir: post.dir,
    slug: post.slug,
    url: post.url,
    href: `${encodeURIComponent(post.slug)}/`,
    dateIso: post.meta.date,
    dateText: formatDate(post.date, post.lang, config),
    author: post.meta.author ?? config.author,
    tags: post.meta.tags,
    image: post.meta.image ? new URL(post.meta.image, post.url).href : undefined,
    readingTime: formatReadingTime(post.words, config.wordsPerMinute, post.lang, localeFor(post.lang, config.lang), config),
  };
}

/**
 * The blog page of one post: `blog/<slug>/index.html`.
 *
 * @param post    The post.
 * @param options Configuration, templates and clock.
 */
export function renderPostPage(post: Post, options: PageRenderOptions): string {
  const { config } = options;
  const base = baseContext(config, post.lang, '../', options.now);
  const view = postView(post, config);
  return options.templates.render('post.hbs', {
    ...base,
    page: {
      lang: post.lang,
      dir: post.dir,
      title: view.title,
      documentTitle: `${view.title} – ${config.title}`,
      description: post.summary,
      canonical: post.url,
      type: 'article',
      ogLocale: ogLocale(post.lang),
      image: view.image,
      publishedTime: post.meta.date,
      jsonLd: {
        '@context': 'https://schema.org',
        '@type': 'BlogPosting',
        headline: view.title,
        description: post.summary,
        datePublished: post.meta.date,
        inLanguage: post.lang,
        url: post.url,
        mainEntityOfPage: post.url,
        wordCount: post.words,
        ...(view.author ? { author: { '@type': 'Person', name: view.author } } : {}),
        ...(view.image ? { image: view.image } : {}),
        ...(view.tags.length ? { keywords: view.tags.join(', ') } : {}),
        publisher: { '@type': 'Organization', name: config.title, url: config.url },
      },
    },
    post: { ...view, html: toHtml(post.tree) },
    share: shareLinks(post.url, view.title, base.strings),
  });
}

/**
 * The home page of the blog, `blog/index.html`: the posts, newest first.
 *
 * @param posts   The published posts, in any order.
 * @param options Configuration, templates and clock.
 */
export function renderIndexPage(posts: readonly Post[], options: PageRenderOptions): string {
  const { config } = options;
  const base = baseContext(config, config.lang, '', options.now);
  const newestFirst = [...posts].sort((a, b) => b.date.getTime() - a.date.getTime());
  return options.templates.render('index.hbs', {
    ...base,
    page: {
      lang: config.lang,
      dir: directionOf(config.lang),
      title: config.title,
      documentTitle: config.title,
      description: config.description,
      canonical: config.url,
      type: 'website',
      ogLocale: ogLocale(config.lang),
      jsonLd: { '@context': 'https://schema.org', '@type': 'Blog', name: config.title, url: config.url, inLanguage: config.lang, description: config.description },
    },
    posts: newestFirst.map((post) => postView(post, config)),
  });
}
