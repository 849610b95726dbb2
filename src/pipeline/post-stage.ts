import { join, relative } from 'node:path';
import { VFile } from 'vfile';
import type { ContentCache } from '../cache/content-cache.js';
import { CACHED_POST_FORMAT, type CachedPost } from '../cache/cached-post.js';
import type { SiteConfig } from '../config/schema.js';
import { findPostFiles, postFolders, POSTS_DIR, readPostFile } from '../content/find-posts.js';
import type { LoadPostContext } from '../content/load-post.js';
import type { Post, PostSummary } from '../content/post.js';
import { BuildFailure, hasFatal } from '../diagnostics/build-failure.js';
import { feedHtml } from '../render/site/feeds.js';
import type { RenderedEmail } from '../render/email/render-email.js';
import type { ImageStep } from '../images/process-site-images.js';
import { FeedPosts } from './feed-posts.js';
import type { PageReferences } from './page-references.js';
import { entryOf, mediaHashes, mediaUnchanged, postKey, restoreMessages, sourceHash, summaryOf } from './post-entry.js';
import { writePostOutputs, type PostOutputContext } from './post-outputs.js';
import { RenderPool, threadsFor } from './render-pool.js';
import type { RenderAnswer } from './render-worker.js';
import { publishedNow } from './scheduled.js';
import type { OutputRecord, OutputSink } from './write-atomically.js';
import type { PageRecord } from '../search/page-record.js';
import type { RecordCache } from '../search/record-cache.js';

/** How many posts are read and rendered at once: enough to overlap reads and writes, few enough to keep memory flat. */
const IN_FLIGHT = 8;

/** What {@link renderPosts} needs. */
export interface PostStageOptions {
  root: string;
  /** Rendering context: configuration (navigation resolved), templates, clock. */
  context: PostOutputContext;
  includeDrafts: boolean;
  includeFuture: boolean;
  sink: OutputSink;
  /** The content cache, unless the build runs without one. */
  cache?: ContentCache;
  /** The site fingerprint (see `siteFingerprint`). */
  fingerprint: string;
  /** Keep each post's body tree (a build that writes nothing returns them); such a build stays on one thread. */
  keepTrees: boolean;
  /** Worker threads: `auto` (by default) uses every core for a large batch of posts; 0 or 1, the main thread only. */
  threads?: number | 'auto';
  /** Where compiled email layouts are kept (the cache's `mjml/` folder), for the worker threads too. */
  layouts?: string;
  /** The search record cache: each rendered page's record is stored as it is rendered, so the search step does not read it again. */
  records?: RecordCache;
  /** The build's image step, which turns a post's local images into its published ones before it is rendered (a worker runs its own). */
  images?: ImageStep;
  /** The SHA-256 of the text of posts whose file the build stamp knows unchanged, by absolute path: such a post is looked up in the cache without being read. */
  trusted?: ReadonlyMap<string, string>;
  onProgress?: (done: number, total: number) => void;
}

/** What the posts stage leaves for the rest of the build. */
export interface PostStage {
  /** Published posts, in file-name order. */
  posts: PostSummary[];
  drafts: PostSummary[];
  future: PostSummary[];
  /** Every post file, for their messages. */
  files: VFile[];
  /** Ids and references of each post page, by path under `blog/`. */
  references: Map<string, PageReferences>;
  feed: FeedPosts;
  /** Slugs of the posts that have an email. */
  emailSlugs: Set<string>;
  /** The emails themselves, kept only with `keepTrees`. */
  emails: Map<string, RenderedEmail>;
  /** Posts taken from the cache, and posts rendered. */
  counts: { cached: number; rendered: number };
  /** The SHA-256 of each post file's text, by absolute path (for the build stamp). */
  sources: Map<string, string>;
}

/**
 * Reads, renders and writes every post, a few at a time, each dropped once
 * written: a post whose inputs the content cache knows, and whose files the
 * previous output still holds, is taken from there without being parsed;
 * any other is loaded, rendered, written and stored in the cache.
 *
 * @param options The site, the rendering context, the sink and the cache.
 */
export async function renderPosts(options: PostStageOptions): Promise<PostStage> {
  const { root, context, sink, cache } = options;
  const paths = await findPostFiles(root);
  const stage: PostStage = { posts: [], drafts: [], future: [], files: [], references: new Map(), feed: new FeedPosts(context.config.feedLength), emailSlugs: new Set(), emails: new Map(), counts: { cached: 0, rendered: 0 }, sources: new Map() };
  const published = (post: Pick<Post, 'meta' | 'date'>) => publishedNow(post, context.now, options.includeDrafts, options.includeFuture);
  const listFor = (post: Pick<Post, 'meta' | 'date'>) => (published(post) ? stage.posts : post.meta.draft && !options.includeDrafts ? stage.drafts : stage.future);
  let done = 0;
  const progress = () => options.onProgress?.((done += 1), paths.length);

  const acceptCached = (entry: CachedPost, summary: PostSummary, key: string) => {
    stage.counts.cached += 1;
    stage.references.set(`${summary.slug}/index.html`, entry.references);
    if (entry.outputs.some((output) => output.path === `email/${summary.slug}.html`)) stage.emailSlugs.add(summary.slug);
    stage.feed.offer(summary, async () => cache?.feedHtml(key) ?? (await feedOfFile(summary.file.path)));
  };
  const acceptRendered = (summary: PostSummary, written: { references: PageReferences; feedHtml: string; email: boolean }) => {
    stage.counts.rendered += 1;
    stage.posts.push(summary);
    stage.references.set(`${summary.slug}/index.html`, written.references);
    stage.feed.offer(summary, written.feedHtml);
    if (written.email) stage.emailSlugs.add(summary.slug);
  };

  const searchRecords = options.records !== undefined;
  const keepSearchRecord = (slug: string, outputs: readonly OutputRecord[], record: PageRecord | null | undefined) => {
    const page = outputs.find((output) => output.path === `blog/${slug}/index.html`);
    if (page && record !== undefined) options.records?.put(page.sha256, record);
  };

  let loader: Promise<(file: VFile) => Promise<Post | undefined>> | undefined;
  // The Markdown stack is a large part of start-up: loaded only when some post must be read.
  const load = async (file: VFile) => (await (loader ??= markdownLoader(root, context.config)))(file);
  const feedOfFile = async (path: string) => {
    const post = await load(await readPostFile(path, root));
    return post ? feedHtml(post.tree, post.url) : '';
  };

  /** Loads, renders and writes one post on this thread. */
  const renderHere = async (miss: Miss) => {
    const file = stage.files[miss.index] as VFile;
    file.value = miss.source;
    const post = await load(file);
    file.value = '';
    if (!post) return progress();
    if (!published(post)) {
      listFor(post).push(summarise(post, options.keepTrees));
      return progress();
    }
    const media = mediaHashes(post);
    await options.images?.process([post]);
    const written = await writePostOutputs(post, { ...context, searchRecords }, sink);
    keepSearchRecord(post.slug, written.outputs, written.searchRecord);
    acceptRendered(summarise(post, options.keepTrees), { ...written, email: written.email !== undefined });
    if (written.email && options.keepTrees) stage.emails.set(post.slug, written.email);
    if (!hasFatal(post.file.messages)) cache?.put(entryOf(miss.key, post, written, media), written.feedHtml);
    progress();
  };

  // Worker threads pay only for a large batch; whether one may come is known from the number of posts.
  const inline = options.keepTrees || threadsFor(paths.length, options.threads) === 0;
  // First every post the cache knows, whose files the previous output still holds: no parsing.
  const misses: Miss[] = [];
  const folders = postFolders(root);
  const read = async (index: number, path: string) => {
    const file = await readPostFile(path, root, folders);
    stage.files[index] = file;
    if (hasFatal(file.messages)) return undefined;
    const source = String(file.value);
    file.value = '';
    const sha256 = sourceHash(source);
    stage.sources.set(path, sha256);
    return { source, key: postKey(options.fingerprint, relative(root, path), sha256) };
  };
  await inParallel(paths.length, IN_FLIGHT, async (index) => {
    const path = paths[index] as string;
    const trusted = cache ? options.trusted?.get(path) : undefined;
    let known: { source?: string; key: string } | undefined;
    if (trusted) {
      stage.files[index] = new VFile({ path });
      stage.sources.set(path, trusted);
      known = { key: postKey(options.fingerprint, relative(root, path), trusted) };
    } else known = await read(index, path);
    if (!known) return progress();
    const entry = cache?.get(known.key);
    const media = entry && (await mediaUnchanged(entry));
    if (entry && media) {
      // Images checked by their bytes get a new stat in the entry, so the next build checks them by it.
      const feed = media.refreshed ? cache?.feedHtml(known.key) : undefined;
      if (media.refreshed && feed !== undefined) cache?.put({ ...entry, media: media.refreshed }, feed);
      const summary = summaryOf(entry, stage.files[index] as VFile);
      if (!published(summary) || (await reuseOutputs(entry, sink))) {
        listFor(summary).push(summary);
        if (published(summary)) acceptCached(entry, summary, known.key);
        return progress();
      }
      // The previous output lacks some of its files: rendered again from a clean file.
      stage.files[index] = new VFile({ path });
    }
    // A post found by the stamp's hash alone is read now.
    if (known.source === undefined) known = await read(index, path);
    if (known?.source === undefined) return progress();
    const { source, key } = known;
    const miss = { index, path, source, key };
    // On one thread each post is rendered as soon as it is read, so no more than a few posts' text is held at once.
    if (inline) await renderHere(miss);
    else misses.push(miss);
  });

  const threads = inline ? 0 : threadsFor(misses.length, options.threads);
  if (threads > 0) {
    const pool = new RenderPool(threads);
    try {
      await inParallel(misses.length, threads * 2, async (slot) => {
        const miss = misses[slot] as Miss;
        const answer = await pool.run({
          root,
          config: context.config,
          now: context.now,
          path: miss.path,
          source: miss.source,
          includeDrafts: options.includeDrafts,
          includeFuture: options.includeFuture,
          layouts: options.layouts,
          searchRecords,
        });
        const file = stage.files[miss.index] as VFile;
        if (answer.failure) throw failureOf(answer.failure);
        if (!answer.post) {
          restoreMessages(answer.messages, file);
          return progress();
        }
        const summary = summaryOf({ post: answer.post, messages: answer.messages }, file);
        if (!answer.rendered) {
          listFor(summary).push(summary);
          return progress();
        }
        const outputs: OutputRecord[] = [];
        for (const [path, content] of answer.rendered.files) outputs.push(await sink.write(path, content));
        keepSearchRecord(summary.slug, outputs, answer.rendered.searchRecord);
        acceptRendered(summary, answer.rendered);
        if (!hasFatal(file.messages)) cache?.put({ format: CACHED_POST_FORMAT, key: miss.key, media: answer.rendered.media, post: answer.post, messages: answer.messages, outputs, references: answer.rendered.references }, answer.rendered.feedHtml);
        progress();
      });
    } finally {
      await pool.destroy();
    }
  } else {
    await inParallel(misses.length, IN_FLIGHT, (slot) => renderHere(misses[slot] as Miss));
  }

  // Posts finish out of order: file-name order, as the lists and messages had it before.
  const order = new Map(paths.map((path, index) => [path, index]));
  const byFile = (a: PostSummary, b: PostSummary) => (order.get(a.file.path) ?? 0) - (order.get(b.file.path) ?? 0);
  stage.posts.sort(byFile);
  stage.drafts.sort(byFile);
  stage.future.sort(byFile);
  return stage;
}

/** The BuildFailure a worker sent back as data. */
function failureOf(stored: NonNullable<RenderAnswer['failure']>): BuildFailure {
  const files = new Map<string, VFile>();
  for (const message of stored) {
    const file = files.get(message.file) ?? new VFile({ path: message.file });
    files.set(message.file, file);
    restoreMessages([message], file);
  }
  return new BuildFailure([...files.values()].flatMap((file) => file.messages));
}

/** A post the cache could not give: rendered in the second pass. */
interface Miss {
  index: number;
  path: string;
  source: string;
  key: string;
}

/**
 * Runs `task(0 … count-1)`, at most `limit` at once. After a task fails no
 * new one starts, and the first failure is thrown only once every task
 * already started has ended: the build then aborts its output, which no
 * task still running may write into.
 */
async function inParallel(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < count && !failed) {
      try {
        await task(next++);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, count) }, lane));
  const failure = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Takes every file of a cached post from the previous output; false when one is missing or changed. */
async function reuseOutputs(entry: CachedPost, sink: OutputSink): Promise<boolean> {
  for (const output of entry.outputs) if (!(await sink.reuse(output))) return false;
  return true;
}

/** A post without its body tree and images (unless `keepTree`). */
function summarise(post: Post, keepTree: boolean): PostSummary {
  const { tree, media: _media, ...summary } = post;
  return keepTree ? { ...summary, tree } : summary;
}

async function markdownLoader(root: string, config: SiteConfig): Promise<(file: VFile) => Promise<Post | undefined>> {
  const [{ loadPost }, { processorCache }] = await Promise.all([import('../content/load-post.js'), import('../markdown/processor-cache.js')]);
  const context: LoadPostContext = { config, processorFor: processorCache(config), postsDir: join(root, POSTS_DIR) };
  return (file) => loadPost(file, context);
}
