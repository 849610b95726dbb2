import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { startStamp, writeStamp, type StampOptions, type StampStart, type StampSummary } from '../cache/build-stamp.js';
import { mayLinkIntoIndex, readCleanPages, targetsDigest, writeCleanPages } from '../cache/clean-pages.js';
import { siteFingerprint } from '../cache/cache-root.js';
import type { ListedFile } from '../cache/file-listing.js';
import { ContentCache } from '../cache/content-cache.js';
import { CONFIG_FILE, loadConfig } from '../config/load-config.js';
import type { SiteConfig } from '../config/schema.js';
import type { Page } from '../content/page.js';
import type { PostSummary } from '../content/post.js';
import { BuildFailure, fileFailure, hasFatal, sortMessages } from '../diagnostics/build-failure.js';
import { processorCache } from '../markdown/processor-cache.js';
import { emailHelpers, type RenderedEmail } from '../render/email/render-email.js';
import { keepCompiledLayouts } from '../render/email/splice-mjml.js';
import { calendarDay } from '../content/post-date.js';
import { instantOf } from '../content/zoned-time.js';
import { pageHelpers } from '../render/shared/helpers.js';
import { newestFirst } from '../render/site/tags.js';
import { DEFAULT_TEMPLATES_DIR, loadTemplateSet } from '../render/template-set.js';
import { writeBuildRecord } from './build-record.js';
import { checkLinks } from './check-links.js';
import { imageCacheDir } from '../images/cache-dir.js';
import { imageStep, type ImageStats } from '../images/process-site-images.js';
import { pruneImageCache } from '../images/prune-image-cache.js';
import { loadPages, reportSharedSlugs } from './load-pages.js';
import type { PageReferences } from './page-references.js';
import { MemoryOutput, OutputFolderEmails, OutputFolderFiles } from './output-view.js';
import type { OutputRecord, OutputSink, OutputWrite } from './write-atomically.js';
import { renderPosts } from './post-stage.js';
import { resolveNav } from './resolve-nav.js';
import { writeSitePages } from './site-pages.js';
import { reportDuplicateSlugs, reportSlugCollisions } from './slug-checks.js';
import { openOutput } from './open-output.js';
import { lockOutput } from './output-lock.js';
import { PageCache } from '../cache/page-cache.js';
import { stopMjmlThread } from '../render/email/mjml-thread.js';
import { compiledLayoutsDir } from '../render/email/layout-store.js';
import { searchOutputs, type SearchIndex } from '../search/index.js';
import { RecordCache } from '../search/record-cache.js';

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
  /**
   * Use the content cache (`.sahifa/cache/content/`) to skip posts whose
   * inputs did not change (default true; `--no-cache` turns it off: every
   * post is rendered and the cache is neither read nor written). A build
   * that writes nothing never uses it.
   */
  cache?: boolean;
  /**
   * Worker threads that load and render posts: `auto` (the default) uses
   * every core once there are enough posts to render to pay for starting
   * them (see `PARALLEL_FROM`); a number forces that many (0 or 1: the main
   * thread only). The output is the same either way.
   */
  threads?: number | 'auto';
  /**
   * Write the stamp that lets the next `sahifa build` find that nothing
   * changed (default true; `sahifa dev`, which never asks, saves the two
   * walks over the site and the output).
   */
  stamp?: boolean;
  /** The listing of the site's inputs the caller took just before this build, for its stamp (see `checkStamp`). */
  stampStart?: StampStart;
  /** Called once when another build is writing into the same output folder and this one waits for it to finish. */
  onWait?: () => void;
}

/** What a build produced, in memory as well as on disk. */
export interface BuildResult {
  config: SiteConfig;
  /** Absolute path of the output folder. */
  outDir: string;
  /** The published posts, newest first (their body trees only when nothing was written). */
  posts: PostSummary[];
  /** The published pages of `pages/` (About, Contact…), by file name. */
  sitePages: Page[];
  /** Drafts left out. */
  drafts: PostSummary[];
  /** Posts dated after the build's clock, left out until their date (empty with `future`). */
  future: PostSummary[];
  /**
   * Every output file by path relative to the output folder: held in memory
   * by a build that writes nothing, read from the output folder on demand
   * otherwise (text files as strings).
   */
  files: ReadonlyMap<string, string | Uint8Array>;
  /** Number of HTML pages under `blog/`. */
  pages: number;
  /** The newsletter emails, by post slug (read from the output folder on demand, as `files`). */
  emails: ReadonlyMap<string, RenderedEmail>;
  /** Posts taken from the content cache unchanged, and posts rendered. */
  cache: { cached: number; rendered: number };
  /** List pages (home, tags) taken from the page cache unchanged, and rendered. */
  lists: { cached: number; rendered: number };
  /** Warnings from every file (no fatal ones: those throw). */
  warnings: VFileMessage[];
  /** Images processed by this build, and images taken from the cache. */
  images: ImageStats;
  /** Wall-clock duration in seconds. */
  seconds: number;
  /** The search index, unless `search: false`. */
  search?: Omit<SearchIndex, 'files'>;
}

/**
 * Builds the site: reads the configuration and every post, renders each
 * post's page and email (or takes them from the content cache and the
 * previous output when nothing they depend on changed) into a staging
 * folder, then the lists, feeds and sitemap from the posts' metadata, checks
 * the links between them, and only when nothing failed replaces the output
 * folder in one step.
 *
 * @param options Where the site is and where the output goes.
 * @returns What was built.
 * @throws {BuildFailure} with every problem found; the previous output is left untouched.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const root = resolve(options.root);
  const outDir = resolve(options.out ?? resolve(root, 'dist'));
  if (options.write === false) return (await buildSite(root, outDir, options)).result;
  const stamp: StampOptions = { root, outDir, drafts: options.drafts ?? false, future: options.future ?? false, strict: options.strict ?? false };
  // Listed before anything is read, so a file edited while this build runs makes the next one rebuild.
  const inputs = options.cache === false || options.stamp === false ? undefined : (options.stampStart ?? (await startStamp(stamp)));
  // Only for a site that exists: a mistyped --root must not create a folder (the build then fails on its configuration).
  const unlock = existsSync(join(root, CONFIG_FILE)) ? await lockOutput(root, outDir, options.onWait) : () => undefined;
  try {
    const { result, outputFiles, postSources } = await buildSite(root, outDir, { ...options, stampStart: inputs });
    const now = options.now ?? new Date();
    const summary = buildSummary(result, now);
    await writeBuildRecord(root, { ok: true, at: new Date().toISOString(), outDir, ...(summary.early.length ? { early: summary.early } : {}) });
    if (inputs) await writeStamp(stamp, inputs, { now, validUntil: clockBound(result, now) }, summary, outputFiles, postSources);
    return result;
  } catch (error) {
    const errors = error instanceof BuildFailure ? error.messages.filter((message) => message.fatal).length : 1;
    // Only for a site that exists: a mistyped --root must not create a folder.
    if (existsSync(join(root, CONFIG_FILE))) await writeBuildRecord(root, { ok: false, at: new Date().toISOString(), outDir, errors });
    throw error;
  } finally {
    unlock();
  }
}

/**
 * The first moment at which this build's output would differ by the clock
 * alone: the date of the first post left out until its date, or the new year
 * in the site's time zone (the copyright year).
 */
function clockBound(result: BuildResult, now: Date): number {
  const year = Number(calendarDay(now, result.config.timeZone).slice(0, 4));
  const newYear = instantOf({ year: year + 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, result.config.timeZone).getTime();
  return Math.min(newYear, ...result.future.map((post) => post.date.getTime()));
}

/**
 * What `sahifa build` reports of a build: counts, the posts left out until
 * their date, those held before it (`--future`) and the warnings. The stamp
 * keeps it, to report it again when nothing changed.
 *
 * @param result The build.
 * @param now    Its clock.
 */
export function buildSummary(result: BuildResult, now: Date): StampSummary {
  return {
    early: result.posts.filter((post) => post.date.getTime() > now.getTime()).map((post) => ({ slug: post.slug, date: post.date.toISOString() })),
    posts: result.posts.length,
    drafts: result.drafts.length,
    pages: result.pages,
    emails: result.emails.size,
    future: result.future.map((post) => ({ path: post.file.path, date: post.meta.date })),
    warnings: result.warnings.map((message) => ({
      file: message.file ?? '',
      reason: message.reason,
      ...(message.line ? { line: message.line } : {}),
      ...(message.column ? { column: message.column } : {}),
      ...(message.ruleId ? { ruleId: message.ruleId } : {}),
    })),
  };
}

/** A build, and for its stamp: the output folder's files as it left them when known without a walk, the hash of each post file's text. */
async function buildSite(
  root: string,
  outDir: string,
  options: BuildOptions,
): Promise<{ result: BuildResult; outputFiles?: ReadonlyMap<string, ListedFile>; postSources?: ReadonlyMap<string, string> }> {
  const started = performance.now();
  if (root === outDir || (root + sep).startsWith(outDir + sep)) {
    throw fileFailure(outDir, 'the output folder would hold the site itself: choose an --out inside or beside the site, such as dist', 'output-contains-site');
  }
  const config = await loadConfig(root);
  const drafts = options.drafts ?? false;
  const loadedPages = await loadPages(root, config, drafts, processorCache(config));
  const navigation = await resolveNav(root, config, loadedPages.pages);
  const site: SiteConfig = { ...config, nav: navigation.nav };
  const now = options.now ?? new Date();
  const pageTemplates = await loadTemplateSet(root, 'page', pageHelpers);
  const emailTemplates = config.email ? await loadTemplateSet(root, 'email', emailHelpers) : undefined;

  const memory = options.write === false ? new MemoryOutput() : undefined;
  const output = memory ? undefined : await openOutput(outDir);
  const sink: OutputSink = memory ?? (output as OutputWrite);
  const cache = memory || options.cache === false ? undefined : new ContentCache(root);
  // Compiled email layouts are kept with the cache, so a build that renders few emails need not load mjml.
  const layouts = cache ? compiledLayoutsDir(root) : undefined;
  keepCompiledLayouts(layouts);
  // Each post page's search record is kept as it is rendered, so the search step reads back only the other pages.
  const records = config.search && memory === undefined ? await RecordCache.open(root) : undefined;
  // Local images are resized and converted as each post or page is rendered (src/images/), through one step for the build.
  const images = imageStep(root, config.images, memory === undefined);
  let pageCache: PageCache | undefined;
  try {
    // Everything a post's own files depend on besides the post: sahifa, the configuration, the templates, the copyright year.
    const fingerprint = await siteFingerprint({ root, templateFolders: [join(DEFAULT_TEMPLATES_DIR, 'page'), join(DEFAULT_TEMPLATES_DIR, 'email')], settings: { site, year: calendarDay(now, config.timeZone).slice(0, 4) } });
    const posts = await renderPosts({
      root,
      context: { config: site, pageTemplates, emailTemplates, now },
      includeDrafts: drafts,
      includeFuture: options.future ?? false,
      sink,
      cache,
      fingerprint,
      keepTrees: memory !== undefined,
      images,
      threads: options.threads,
      layouts,
      records,
      onProgress: options.onProgress,
      trusted: options.stampStart?.trusted,
    });
    // Every email is rendered by now: the mjml thread (a V8 isolate with mjml loaded, about 100 MiB) goes before
    // the list pages, the search index and the link check, where the build's memory peaks.
    await stopMjmlThread();
    await images.process(loadedPages.pages);
    reportDuplicateSlugs([...posts.posts, ...posts.future], root);
    reportSharedSlugs(loadedPages.pages, [...posts.posts, ...posts.drafts, ...posts.future], root);
    const published = newestFirst(posts.posts);
    // Every message of the posts' and pages' files so far (checks after rendering add to the same files).
    const fileMessages = () => [...new Set([...posts.files.flatMap((file) => file?.messages ?? []), ...loadedPages.messages, ...loadedPages.pages.flatMap((page: Page) => page.file.messages), ...navigation.messages])];
    if (hasFatal(fileMessages())) throw new BuildFailure(fileMessages());

    const references = posts.references;
    pageCache = cache ? new PageCache(root, fingerprint) : undefined;
    const lists = await writeSitePages({ root, config: site, templates: pageTemplates, now, posts: published, feedPosts: await posts.feed.posts(), sitePages: loadedPages.pages, pageCache }, sink, references);
    // Every blog page is written by now and known by path (sink.written): a step that needs each page's HTML
    // (a search index) reads it back with sink.read(path), one page at a time.
    const written = sink.written;
    const blogPaths = [...written.keys()].filter((path) => path.startsWith('blog/')).map((path) => path.slice('blog/'.length));
    reportSlugCollisions([...published, ...loadedPages.pages], blogPaths);
    // Search (issue 15, src/search/): the search page and the Pagefind index of the pages just written.
    const blogPages = { paths: blogPaths, read: async (path: string) => Buffer.from((await sink.read(`blog/${path}`)) ?? []).toString('utf8'), sha256: (path: string) => written.get(`blog/${path}`)?.sha256 };
    const search = await searchOutputs(root, site, blogPages, { templates: pageTemplates, now, keepIndex: memory === undefined, records });
    for await (const [path, content] of search?.files ?? []) {
      const file = `blog/${path}`;
      if (typeof content === 'string' || content instanceof Uint8Array) await sink.write(file, content);
      else if (!(await sink.reuse({ path: file, sha256: content.sha256, size: content.size, text: false }))) await sink.write(file, await content.read());
      blogPaths.push(path);
    }
    if (search) references.set(search.page.path, search.page.references);
    const messages = fileMessages();
    messages.push(...(await checkSiteLinks(root, cache ? fingerprint : undefined, written, references, config, outDir, options.strict ?? false)));
    if (hasFatal(messages)) throw new BuildFailure(messages);

    await output?.commit();
    // Once a day at most: the image cache's entries this output no longer uses, unused for two weeks, go.
    if (output) await pruneImageCache(imageCacheDir(root), written.keys());
    const result: BuildResult = {
      config,
      outDir,
      posts: published,
      sitePages: loadedPages.pages,
      drafts: posts.drafts,
      future: newestFirst(posts.future).reverse(),
      files: memory ? memory.files : new OutputFolderFiles(outDir, new Map(written)),
      pages: blogPaths.filter((path) => path.endsWith('.html')).length,
      emails: memory ? posts.emails : new OutputFolderEmails(outDir, posts.emailSlugs),
      cache: posts.counts,
      lists,
      warnings: sortMessages(messages),
      images: images.stats,
      ...(search ? { search: { pages: search.pages, parts: search.parts, built: search.built, reused: search.reused, read: search.read } } : {}),
      seconds: (performance.now() - started) / 1000,
    };
    return { result, outputFiles: output?.files, postSources: posts.sources };
  } catch (error) {
    await output?.abort();
    throw error;
  } finally {
    cache?.close();
    pageCache?.close();
    await stopMjmlThread();
    records?.close();
    keepCompiledLayouts(undefined);
  }
}

/**
 * The build's link check (`checkLinks`), sparing the pages the last check
 * found clean when nothing they can point at changed (see
 * `cache/clean-pages.ts`), and keeping this build's clean pages for the next.
 *
 * @param root        The site root.
 * @param fingerprint The build's fingerprint, or `undefined` for a build without a cache (every page is checked).
 * @param written     The build's output, by path.
 * @param references  The ids and references of each HTML page, by path under `blog/`.
 * @param config      The site configuration.
 * @param outDir      The output folder, for the paths in messages.
 * @param strict      Report broken links as errors instead of warnings.
 */
async function checkSiteLinks(
  root: string,
  fingerprint: string | undefined,
  written: ReadonlyMap<string, OutputRecord>,
  references: ReadonlyMap<string, PageReferences>,
  config: SiteConfig,
  outDir: string,
  strict: boolean,
): Promise<VFileMessage[]> {
  const files = new Set(written.keys());
  const sha256 = (path: string) => written.get(`blog/${path}`)?.sha256;
  if (fingerprint === undefined) return checkLinks(files, references, config, outDir, strict).messages;
  const targets = targetsDigest(files, references);
  const known = await readCleanPages(root, fingerprint, targets);
  const isKnown = (path: string) => {
    const sha = known.get(path);
    return sha !== undefined && sha === sha256(path);
  };
  const { messages, clean } = checkLinks(files, references, config, outDir, strict, isKnown);
  const kept = new Map<string, string>();
  for (const path of [...references.keys()].filter(isKnown).concat(clean)) {
    const sha = sha256(path);
    if (sha !== undefined && !mayLinkIntoIndex(references.get(path)!)) kept.set(path, sha);
  }
  await writeCleanPages(root, fingerprint, targets, kept);
  return messages;
}
