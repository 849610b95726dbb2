import type { SiteConfig } from '../config/schema.js';
import type { Page } from '../content/page.js';
import type { PostSummary } from '../content/post.js';
import { renderHomePages, renderNotFoundPage, renderTagPages } from '../render/page/render-pages.js';
import { renderStaticPage } from '../render/page/render-static-page.js';
import { loadAssets } from '../render/site/assets.js';
import { atomFeed, jsonFeed, rssFeed, type FeedPost } from '../render/site/feeds.js';
import { robotsTxt, sitemap } from '../render/site/sitemap.js';
import { collectTags } from '../render/site/tags.js';
import type { TemplateSet } from '../render/template-set.js';
import { BLOG_OUTPUTS } from './output-layout.js';
import { checkedReferences } from './check-links.js';
import { pageReferences, type PageReferences } from './page-references.js';
import type { OutputSink } from './write-atomically.js';

/** What the site's own pages are made from. */
export interface SitePagesInput {
  root: string;
  config: SiteConfig;
  templates: TemplateSet;
  now: Date;
  /** Published posts, newest first. */
  posts: readonly PostSummary[];
  /** The posts the feeds carry, newest first, with their feed HTML. */
  feedPosts: readonly FeedPost[];
  /** The pages of `pages/`. */
  sitePages: readonly Page[];
}

/**
 * Renders and writes what is made from every post at once, never cached:
 * the home page and its continuations, the tag pages, the pages of
 * `pages/`, `404.html`, the feeds, the sitemap and `robots.txt`, then the
 * theme's assets and the pages' images. The ids and references of each
 * HTML page are added to `references`.
 *
 * @param input      Configuration, templates, posts and pages.
 * @param sink       Where the files go.
 * @param references Ids and references by path under `blog/`, added to.
 */
export async function writeSitePages(input: SitePagesInput, sink: OutputSink, references: Map<string, PageReferences>): Promise<void> {
  const { config, posts, sitePages, now } = input;
  const options = { config, templates: input.templates, now };
  const page = async (path: string, html: string) => {
    await sink.write(`blog/${path}`, html);
    references.set(path, checkedReferences(path, pageReferences(html), config));
  };
  const listed: Array<{ path: string; lastModified?: Date }> = posts.map((post) => ({ path: `${post.slug}/index.html`, lastModified: post.date }));
  // Each list page is written before the next is rendered: a large site's lists never sit in memory together.
  for (const lists of [renderHomePages(posts, options), renderTagPages(collectTags(posts, config.lang), options)]) {
    for (const [path, html] of lists) {
      await page(path, html);
      listed.push({ path });
    }
  }
  for (const sitePage of sitePages) {
    const path = `${sitePage.slug}/index.html`;
    await page(path, renderStaticPage(sitePage, options));
    listed.push({ path, lastModified: sitePage.updated });
  }
  await page(BLOG_OUTPUTS.notFound, renderNotFoundPage(options));
  await sink.write(`blog/${BLOG_OUTPUTS.atom}`, atomFeed(input.feedPosts, config, now));
  await sink.write(`blog/${BLOG_OUTPUTS.rss}`, rssFeed(input.feedPosts, config, now));
  await sink.write(`blog/${BLOG_OUTPUTS.json}`, jsonFeed(input.feedPosts, config));
  await sink.write(`blog/${BLOG_OUTPUTS.sitemap}`, sitemap(listed, config));
  await sink.write(`blog/${BLOG_OUTPUTS.robots}`, robotsTxt(config));
  for (const [path, content] of await loadAssets(input.root)) await sink.write(`blog/${path}`, content);
  for (const media of sitePages.flatMap((item) => item.media)) await sink.write(`blog/${media.output}`, media.content);
}
