import { toHtml } from 'hast-util-to-html';
import { directionOf } from '../../config/direction.js';
import { fill } from '../../config/locales.js';
import type { SiteConfig } from '../../config/schema.js';
import type { Post, PostSummary } from '../../content/post.js';
import type { Tag } from '../site/tags.js';
import { isolateFootnoteRefs } from '../footnote-direction.js';
import { outlineHeadings } from '../heading-outline.js';
import type { TemplateSet } from '../template-set.js';
import type { PagePlan } from '../../cache/page-cache.js';
import { baseContext, ogLocale, type BaseContext } from './page-context.js';
import { withPictures } from './picture.js';
import { postDigest, postView } from './post-view.js';
import { shareLinks } from '../shared/share-links.js';

/** What the page renderers need. */
export interface PageRenderOptions {
  config: SiteConfig;
  /** The page branch's templates. */
  templates: TemplateSet;
  /** The build's clock (copyright year). */
  now: Date;
}

/** Pages to render, made one at a time as they are asked for (the caller renders and writes each, or takes it from the page cache, before the next is made). */
export type PagePlans = Generator<PagePlan, void, undefined>;

/**
 * Renders a planned page.
 *
 * @param plan      The page's template and context.
 * @param templates The page branch's templates.
 */
export function renderPlan(plan: PagePlan, templates: TemplateSet): string {
  return templates.render(plan.template, plan.context());
}

/**
 * The blog page of one post: `<slug>/index.html`.
 *
 * @param post    The post.
 * @param options Configuration, templates and clock.
 */
export function renderPostPage(post: Post, options: PageRenderOptions): string {
  const { config } = options;
  const base = baseContext(config, post.lang, '../', options.now);
  const view = postView(post, config, '../');
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
      publishedTime: view.dateIso,
      jsonLd: {
        '@context': 'https://schema.org',
        '@type': 'BlogPosting',
        headline: view.title,
        description: post.summary,
        datePublished: view.dateIso,
        inLanguage: post.lang,
        url: post.url,
        mainEntityOfPage: post.url,
        wordCount: post.words,
        ...(view.author ? { author: { '@type': 'Person', name: view.author } } : {}),
        ...(view.image ? { image: view.image } : {}),
        ...(post.meta.tags.length ? { keywords: post.meta.tags.join(', ') } : {}),
        publisher: { '@type': 'Organization', name: config.title, url: config.url },
      },
    },
    post: { ...view, html: toHtml(withPictures(isolateFootnoteRefs(outlineHeadings(post.tree), post.dir), post.pictures, !post.cover)) },
    share: shareLinks(post.url, view.title, base.strings),
  });
}

/** The site's context for list pages by their root, made once per root: pages at one depth share it (and the page cache writes its JSON once). */
function sharedBase(options: Omit<PageRenderOptions, 'templates'>): (root: string) => BaseContext {
  const byRoot = new Map<string, BaseContext>();
  return (root) => {
    let base = byRoot.get(root);
    if (!base) byRoot.set(root, (base = baseContext(options.config, options.config.lang, root, options.now)));
    return base;
  };
}

/** The folder of page `n` (1-based) of a paginated list whose first page is in `folder` (`''` for the home page). */
function listPageFolder(folder: string, n: number): string {
  return n === 1 ? folder : `${folder}page/${n}/`;
}

/** The relative path from a folder to the blog root (`page/2/` → `../../`). */
function rootOf(folder: string): string {
  return '../'.repeat(folder.split('/').filter(Boolean).length);
}

/** Page `n` of `total` of a paginated list: its posts' slice, its links to its neighbours from its own folder. */
function paging(folder: string, n: number, total: number, root: string) {
  const link = (k: number) => `${root}${listPageFolder(folder, k).split('/').map(encodeURIComponent).join('/')}`;
  return { prev: n > 1 ? link(n - 1) : undefined, next: n < total ? link(n + 1) : undefined };
}

/**
 * The home page and its continuation pages: `index.html` with the newest
 * `postsPerPage` posts, then `page/2/index.html`, `page/3/index.html`…, each
 * linked to its neighbours with `rel="prev"`/`rel="next"`.
 *
 * @param posts   The published posts, newest first.
 * @param options Configuration and clock.
 */
export function* homePagePlans(posts: readonly PostSummary[], options: Omit<PageRenderOptions, 'templates'>): PagePlans {
  const { config } = options;
  const baseAt = sharedBase(options);
  const total = Math.max(1, Math.ceil(posts.length / config.postsPerPage));
  for (let n = 1; n <= total; n += 1) {
    const folder = listPageFolder('', n);
    const root = rootOf(folder);
    const base = baseAt(root);
    const { prev, next } = paging('', n, total, root);
    const title = n === 1 ? config.title : `${config.title} – ${fill(base.strings.pageOf, { n, total })}`;
    yield listPlan(`${folder}index.html`, base, config, root, posts.slice((n - 1) * config.postsPerPage, n * config.postsPerPage), {
      heading: config.title,
      description: n === 1 ? config.description : '',
      subheading: base.strings.latestPosts,
      pagination: total > 1 ? { prev, next, label: fill(base.strings.pageOf, { n, total }) } : undefined,
      page: listPageMeta(config, folder, title, config.description, prev, next),
    });
  }
}

/**
 * The pages of each tag, `postsPerPage` posts to a page as on the home page
 * (`tags/<slug>/index.html`, then `tags/<slug>/page/2/index.html`…, linked
 * with `rel="prev"`/`rel="next"`), and the index of tags (`tags/index.html`).
 *
 * @param tags    The site's tags.
 * @param options Configuration and clock.
 */
export function* tagPagePlans(tags: readonly Tag[], options: Omit<PageRenderOptions, 'templates'>): PagePlans {
  const { config } = options;
  const baseAt = sharedBase(options);
  for (const tag of tags) {
    const first = `tags/${tag.slug}/`;
    const total = Math.max(1, Math.ceil(tag.posts.length / config.postsPerPage));
    for (let n = 1; n <= total; n += 1) {
      const folder = listPageFolder(first, n);
      const root = rootOf(folder);
      const base = baseAt(root);
      const heading = fill(base.strings.taggedWith, { tag: tag.name });
      const { prev, next } = paging(first, n, total, root);
      const title = n === 1 ? heading : `${heading} – ${fill(base.strings.pageOf, { n, total })}`;
      yield listPlan(`${folder}index.html`, base, config, root, tag.posts.slice((n - 1) * config.postsPerPage, n * config.postsPerPage), {
        heading,
        subheading: base.strings.allTags,
        subheadingHref: `${root}tags/`,
        pagination: total > 1 ? { prev, next, label: fill(base.strings.pageOf, { n, total }) } : undefined,
        page: listPageMeta(config, folder, `${title} – ${config.title}`, heading, prev, next),
      });
    }
  }
  const root = '../';
  const base = baseContext(config, config.lang, root, options.now);
  const context = {
    ...base,
    tags: tags.map((tag) => ({ name: tag.name, href: `${encodeURIComponent(tag.slug)}/`, count: tag.posts.length })),
    page: listPageMeta(config, 'tags/', `${base.strings.allTags} – ${config.title}`, base.strings.allTags),
  };
  yield { path: 'tags/index.html', template: 'tags.hbs', context: () => context, parts: [context] };
}

/**
 * `404.html`, which a host serves at any missing address: every link in it
 * is absolute, from the site's URL.
 *
 * @param options Configuration, templates and clock.
 */
export function renderNotFoundPage(options: PageRenderOptions): string {
  const { config } = options;
  const base = baseContext(config, config.lang, config.url, options.now);
  return options.templates.render('404.hbs', {
    ...base,
    page: { ...listPageMeta(config, '', `${base.strings.notFoundTitle} – ${config.title}`, base.strings.notFoundText), noindex: true },
  });
}

/**
 * A list page's plan: the site's context (shared by the pages at one
 * depth), its posts and its own fields. The page is keyed by its posts'
 * digests; their views (shared by every list showing the post at that
 * depth) are made only if it is rendered. A post's view depends on the page
 * only through `root`, which the page's path (in its key) decides.
 */
function listPlan(path: string, base: BaseContext, config: SiteConfig, root: string, posts: readonly PostSummary[], own: Record<string, unknown>): PagePlan {
  // A linked subheading is navigation, not a section: the cards' titles then sit right under the h1.
  const fields = { ...own, cardLevel: own.subheadingHref ? 2 : 3 };
  return {
    path,
    template: 'list.hbs',
    context: () => ({ ...base, ...fields, posts: posts.map((post) => postView(post, config, root)) }),
    parts: [base, fields, ...posts.map(postDigest)],
  };
}

function listPageMeta(config: SiteConfig, folder: string, documentTitle: string, description: string, prev?: string, next?: string) {
  const canonical = new URL(folder.split('/').map(encodeURIComponent).join('/'), config.url).href;
  return {
    lang: config.lang,
    dir: directionOf(config.lang),
    title: documentTitle,
    documentTitle,
    description,
    canonical,
    type: 'website',
    ogLocale: ogLocale(config.lang),
    prev,
    next,
    jsonLd: { '@context': 'https://schema.org', '@type': folder ? 'CollectionPage' : 'Blog', name: documentTitle, url: canonical, inLanguage: config.lang },
  };
}
