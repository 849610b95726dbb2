import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { CONFIG_FILE, loadConfig } from '../config/load-config.js';
import type { SiteConfig } from '../config/schema.js';
import type { Page } from '../content/page.js';
import type { Post } from '../content/post.js';
import { BuildFailure, fileFailure, hasFatal, reportError, sortMessages } from '../diagnostics/build-failure.js';
import { emailHelpers, renderEmail, type RenderedEmail } from '../render/email/render-email.js';
import { pageHelpers } from '../render/shared/helpers.js';
import { renderHomePages, renderNotFoundPage, renderPostPage, renderTagPages } from '../render/page/render-pages.js';
import { renderStaticPage } from '../render/page/render-static-page.js';
import { loadAssets } from '../render/site/assets.js';
import { atomFeed, jsonFeed, rssFeed } from '../render/site/feeds.js';
import { robotsTxt, sitemap } from '../render/site/sitemap.js';
import { collectTags, newestFirst } from '../render/site/tags.js';
import { loadTemplateSet } from '../render/template-set.js';
import { writeBuildRecord } from './build-record.js';
import { checkLinks } from './check-links.js';
import { processorCache } from '../markdown/processor-cache.js';
import { loadPages } from './load-pages.js';
import { loadPosts } from './load-posts.js';
import { BLOG_OUTPUTS, outputKey } from './output-layout.js';
import { resolveNav } from './resolve-nav.js';
import { splitScheduled } from './scheduled.js';
import { writeAtomically } from './write-atomically.js';
import { searchOutputs, type SearchIndex } from '../search/index.js';

/** Options of {@link build}. */
export interface BuildOptions {
  /** The site root, holding `sahifa.config.json` and `posts/`. */
  root: string;
  /** Output folder (default `<root>/dist`). */
  out?: string;
  /** Publish posts marked `draft: true`. */
  drafts?: boolean;
  /** Publish posts dated after `now` too (by default they wait for their date). */
  future?: boolean;
  /** Treat broken internal links as errors. */
  strict?: boolean;
  /** Render only; write nothing. */
  write?: boolean;
  /** The build's clock (default: now). */
  now?: Date;
  /** Called as posts are processed, for a progress line. */
  onProgress?: (done: number, total: number) => void;
}

/** What a build produced, in memory as well as on disk. */
export interface BuildResult {
  config: SiteConfig;
  /** Absolute path of the output folder. */
  outDir: string;
  /** The published posts, newest first. */
  posts: Post[];
  /** The published pages of `pages/` (About, Contact…), by file name. */
  sitePages: Page[];
  /** Drafts left out. */
  drafts: Post[];
  /** Posts dated after the build's clock, left out until their date (empty with `future`). */
  future: Post[];
  /** Every output file by path relative to the output folder. */
  files: Map<string, string | Uint8Array>;
  /** Number of HTML pages under `blog/`. */
  pages: number;
  /** The newsletter emails, by post slug. */
  emails: Map<string, RenderedEmail>;
  /** Warnings from every file (no fatal ones: those throw). */
  warnings: VFileMessage[];
  /** Wall-clock duration in seconds. */
  seconds: number;
  /** The search index, unless `search: false`. */
  search?: Omit<SearchIndex, 'files'>;
}

/**
 * Builds the site: reads the configuration and every post, renders every
 * output in memory (pages, feeds, sitemap, emails), checks the links between
 * them, and only when nothing failed replaces the output folder in one step.
 *
 * @param options Where the site is and where the output goes.
 * @returns What was built.
 * @throws {BuildFailure} with every problem found; the previous output is left untouched.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const root = resolve(options.root);
  const outDir = resolve(options.out ?? resolve(root, 'dist'));
  if (options.write === false) return buildSite(root, outDir, options);
  try {
    const result = await buildSite(root, outDir, options);
    await writeBuildRecord(root, { ok: true, at: new Date().toISOString(), outDir });
    return result;
  } catch (error) {
    const errors = error instanceof BuildFailure ? error.messages.filter((message) => message.fatal).length : 1;
    // Only for a site that exists: a mistyped --root must not create a folder.
    if (existsSync(join(root, CONFIG_FILE))) await writeBuildRecord(root, { ok: false, at: new Date().toISOString(), outDir, errors });
    throw error;
  }
}

async function buildSite(root: string, outDir: string, options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  if (root === outDir || (root + sep).startsWith(outDir + sep)) {
    throw fileFailure(outDir, 'the output folder would hold the site itself: choose an --out inside or beside the site, such as dist', 'output-contains-site');
  }
  const config = await loadConfig(root);
  const loaded = await loadPosts(root, config, options.drafts ?? false, options.onProgress);
  const loadedPages = await loadPages(root, config, options.drafts ?? false, processorCache(config), loaded.posts);
  const navigation = await resolveNav(root, config, loadedPages.pages);
  const contentMessages = [...loaded.messages, ...loadedPages.messages, ...navigation.messages];
  if (hasFatal(contentMessages)) throw new BuildFailure(contentMessages);
  const site: SiteConfig = { ...config, nav: navigation.nav };
  const now = options.now ?? new Date();
  const scheduled = splitScheduled(loaded.posts, now, options.future ?? false);
  const posts = newestFirst(scheduled.published);

  const blog = await renderBlog(root, site, posts, now, loadedPages.pages);
  // Search (issue 15, src/search/): the search page and the index of the rendered pages.
  const search = await searchOutputs(root, site, blog, now, { keepIndex: options.write !== false });
  for (const [path, content] of search?.files ?? []) blog.set(path, content);
  const emails = await renderEmails(root, config, posts);
  const files = new Map<string, string | Uint8Array>();
  for (const [path, content] of blog) files.set(`blog/${path}`, content);
  for (const [slug, email] of emails) {
    files.set(`email/${slug}.mjml`, email.mjml);
    files.set(`email/${slug}.html`, email.html);
    files.set(`email/${slug}.txt`, email.text);
    files.set(`email/${slug}.json`, `${JSON.stringify(email.meta, null, 2)}\n`);
  }
  const messages = [...new Set([...contentMessages, ...posts.flatMap((post) => post.file.messages), ...loadedPages.pages.flatMap((page) => page.file.messages)])];
  messages.push(...checkLinks(files, config, outDir, options.strict ?? false));
  if (hasFatal(messages)) throw new BuildFailure(messages);

  if (options.write !== false) await writeAtomically(outDir, files);
  return {
    config,
    outDir,
    posts,
    sitePages: loadedPages.pages,
    drafts: loaded.drafts,
    future: newestFirst(scheduled.future).reverse(),
    files,
    pages: [...blog.keys()].filter((path) => path.endsWith('.html')).length,
    emails,
    warnings: sortMessages(messages),
    seconds: (performance.now() - started) / 1000,
    ...(search ? { search: { pages: search.pages, reused: search.reused } } : {}),
  };
}

/** Everything under `dist/blog/`, by path relative to it. */
async function renderBlog(root: string, config: SiteConfig, posts: readonly Post[], now: Date, sitePages: readonly Page[]): Promise<Map<string, string | Uint8Array>> {
  const templates = await loadTemplateSet(root, 'page', pageHelpers);
  const options = { config, templates, now };
  const tags = collectTags(posts, config.lang);
  const blog = new Map<string, string | Uint8Array>();
  for (const post of posts) blog.set(`${post.slug}/index.html`, renderPostPage(post, options));
  for (const [path, html] of renderHomePages(posts, options)) blog.set(path, html);
  for (const [path, html] of renderTagPages(tags, options)) blog.set(path, html);
  for (const page of sitePages) blog.set(`${page.slug}/index.html`, renderStaticPage(page, options));
  const dated = new Map<string, Date | undefined>([...posts.map((post) => [`${post.slug}/index.html`, post.date] as const), ...sitePages.map((page) => [`${page.slug}/index.html`, page.updated] as const)]);
  const pages = [...blog.keys()].map((path) => ({ path, lastModified: dated.get(path) }));
  blog.set(BLOG_OUTPUTS.notFound, renderNotFoundPage(options));
  blog.set(BLOG_OUTPUTS.atom, atomFeed(posts, config, now));
  blog.set(BLOG_OUTPUTS.rss, rssFeed(posts, config, now));
  blog.set(BLOG_OUTPUTS.json, jsonFeed(posts, config));
  blog.set(BLOG_OUTPUTS.sitemap, sitemap(pages, config));
  blog.set(BLOG_OUTPUTS.robots, robotsTxt(config));
  for (const [path, content] of await loadAssets(root)) blog.set(path, content);
  for (const media of [...posts, ...sitePages].flatMap((item) => item.media)) blog.set(media.output, media.content);
  reportSlugCollisions([...posts, ...sitePages], blog);
  return blog;
}

/**
 * A last check that no post folder shares its name with another output (an
 * output added without updating BLOG_OUTPUTS would otherwise be replaced
 * silently by a post, or replace it).
 */
function reportSlugCollisions(posts: ReadonlyArray<Pick<Post, 'slug' | 'file'>>, blog: ReadonlyMap<string, unknown>): void {
  const postFolders = new Set(posts.map((post) => `${post.slug}/index.html`));
  const taken = new Set([...blog.keys()].filter((path) => !postFolders.has(path)).map((path) => outputKey(path.split('/')[0] ?? path)));
  for (const post of posts) {
    if (taken.has(outputKey(post.slug))) {
      reportError(post.file, `slug "${post.slug}" is a name the site itself uses under dist/blog/: give the post another \`slug:\``, { line: 1, column: 1 }, 'slug-reserved');
    }
  }
}

/** Renders the email of every post that wants one, when the site configures email. */
async function renderEmails(root: string, config: SiteConfig, posts: readonly Post[]): Promise<Map<string, RenderedEmail>> {
  const emails = new Map<string, RenderedEmail>();
  const email = config.email;
  if (!email) return emails;
  const templates = await loadTemplateSet(root, 'email', emailHelpers);
  const rendered = await Promise.all(posts.filter((post) => post.meta.newsletter).map(async (post) => [post.slug, await renderEmail(post, config, email, templates)] as const));
  for (const [slug, message] of rendered) if (message) emails.set(slug, message);
  return emails;
}
