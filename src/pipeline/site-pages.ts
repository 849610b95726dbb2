import type { SiteConfig } from '../config/schema.js';
import type { Page } from '../content/page.js';
import type { PostSummary } from '../content/post.js';
import type { PageCache } from '../cache/page-cache.js';
import { homePagePlans, renderNotFoundPage, renderPlan, tagPagePlans } from '../render/page/render-pages.js';
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
  /** The list pages of earlier builds, when the build has a cache. */
  pageCache?: PageCache;
}

/**
 * Renders and writes what is made from every post at once, never cached:
 * the home page and its continuations, the tag pages, the pages of
 * `pages/`, `404.html`, the feeds, the sitemap and `robots.txt`, then the
 * theme's assets and the pages' images. The ids and references of each
 * HTML page are added to `references`. A list page made from the same
 * context as in an earlier build, whose file the previous output still
 * holds, is taken from `pageCache` instead of rendered.
 *
 * @param input      Configuration, templates, posts and pages.
 * @param sink       Where the files go.
 * @param references Ids and references by path under `blog/`, added to.
 */
export async function writeSitePages(input: SitePagesInput, sink: OutputSink, references: Map<string, PageReferences>): Promise<{ cached: number; rendered: number }> {
  const { config, posts, sitePages, now, pageCache } = input;
  const options = { config, templates: input.templates, now };
  const page = async (path: string, html: string) => {
    const record = await sink.write(`blog/${path}`, html);
    const checked = checkedReferences(path, pageReferences(html), config);
    references.set(path, checked);
    return { sha256: record.sha256, size: record.size, references: checked };
  };
  const counts = { cached: 0, rendered: 0 };
  const listed: Array<{ path: string; lastModified?: Date }> = posts.map((post) => ({ path: `${post.slug}/index.html`, lastModified: post.date }));
  // Each list page is written before the next is rendered: a large site's lists never sit in memory together.
  for (const plans of [homePagePlans(posts, options), tagPagePlans(collectTags(posts, config.lang), options)]) {
    for (const plan of plans) {
      listed.push({ path: plan.path });
      const key = pageCache?.keyOf(plan);
      const kept = key === undefined ? undefined : pageCache?.get(key);
      if (kept && (await sink.reuse({ path: `blog/${plan.path}`, sha256: kept.sha256, size: kept.size, text: true }))) {
        references.set(plan.path, kept.references);
        counts.cached += 1;
        continue;
      }
      const rendered = await page(plan.path, renderPlan(plan, input.templates));
      if (key !== undefined) pageCache?.put(key, rendered);
      counts.rendered += 1;
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
  return counts;
}
