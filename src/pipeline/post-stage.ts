import { join, relative } from 'node:path';
import { VFile } from 'vfile';
import type { ContentCache } from '../cache/content-cache.js';
import type { CachedPost } from '../cache/cached-post.js';
import type { SiteConfig } from '../config/schema.js';
import { findPostFiles, POSTS_DIR, readPostFile } from '../content/find-posts.js';
import type { LoadPostContext } from '../content/load-post.js';
import type { Post, PostSummary } from '../content/post.js';
import { hasFatal } from '../diagnostics/build-failure.js';
import { feedHtml } from '../render/site/feeds.js';
import type { RenderedEmail } from '../render/email/render-email.js';
import { FeedPosts } from './feed-posts.js';
import type { PageReferences } from './page-references.js';
import type { ImageStep } from '../images/process-site-images.js';
import { entryOf, mediaSources, mediaUnchanged, postKey, summaryOf } from './post-entry.js';
import { writePostOutputs, type PostOutputContext } from './post-outputs.js';
import type { OutputSink } from './write-atomically.js';

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
  /** Keep each post's body tree (a build that writes nothing returns them). */
  keepTrees: boolean;
  /** The build's image step, which turns a post's local images into its published ones before it is rendered. */
  images?: ImageStep;
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
  const stage: PostStage = { posts: [], drafts: [], future: [], files: [], references: new Map(), feed: new FeedPosts(context.config.feedLength), emailSlugs: new Set(), emails: new Map(), counts: { cached: 0, rendered: 0 } };
  let loader: Promise<(file: VFile) => Promise<Post | undefined>> | undefined;
  // The Markdown stack is a large part of start-up: loaded only when some post must be read.
  const load = async (file: VFile) => (await (loader ??= markdownLoader(root, context.config)))(file);
  const publishable = (post: Pick<Post, 'meta' | 'date'>) => {
    if (post.meta.draft && !options.includeDrafts) return stage.drafts;
    if (!options.includeFuture && post.date.getTime() > context.now.getTime()) return stage.future;
    return stage.posts;
  };

  const one = async (path: string, index: number) => {
    const file = await readPostFile(path, root);
    stage.files[index] = file;
    if (hasFatal(file.messages)) return;
    const source = String(file.value);
    const key = postKey(options.fingerprint, relative(root, path), source);
    const entry = cache?.get(key);
    if (entry && (await mediaUnchanged(entry))) {
      const summary = summaryOf(entry, file);
      const list = publishable(summary);
      if (list !== stage.posts || (await reuseOutputs(entry, sink))) {
        list.push(summary);
        if (list === stage.posts) acceptCached(entry, summary, key);
        file.value = '';
        return;
      }
      // The previous output lacks some of its files: rendered again from a clean file.
      stage.files[index] = new VFile({ path, value: source });
    }
    const fresh = stage.files[index] ?? file;
    const post = await load(fresh);
    fresh.value = '';
    if (!post) return;
    const list = publishable(post);
    if (list !== stage.posts) {
      list.push(summarise(post, options.keepTrees));
      return;
    }
    // The cache remembers the images as the writer has them, not as they are published.
    const sources = mediaSources(post);
    await options.images?.process([post]);
    const written = await writePostOutputs(post, context, sink);
    stage.counts.rendered += 1;
    const summary = summarise(post, options.keepTrees);
    stage.posts.push(summary);
    stage.references.set(`${post.slug}/index.html`, written.references);
    stage.feed.offer(summary, written.feedHtml);
    if (written.email) stage.emailSlugs.add(post.slug);
    if (written.email && options.keepTrees) stage.emails.set(post.slug, written.email);
    if (!hasFatal(post.file.messages)) cache?.put(entryOf(key, post, written, sources), written.feedHtml);
  };

  const acceptCached = (entry: CachedPost, summary: PostSummary, key: string) => {
    stage.counts.cached += 1;
    stage.references.set(`${summary.slug}/index.html`, entry.references);
    if (entry.outputs.some((output) => output.path === `email/${summary.slug}.html`)) stage.emailSlugs.add(summary.slug);
    stage.feed.offer(summary, async () => cache?.feedHtml(key) ?? (await feedOfFile(summary.file.path)));
  };

  const feedOfFile = async (path: string) => {
    const post = await load(await readPostFile(path, root));
    return post ? feedHtml(post.tree, post.url) : '';
  };

  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const index = next++;
      await one(paths[index] as string, index);
      options.onProgress?.((done += 1), paths.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, paths.length) }, worker));
  // Workers finish out of order: file-name order, as the lists and messages had it before.
  const order = new Map(paths.map((path, index) => [path, index]));
  const byFile = (a: PostSummary, b: PostSummary) => (order.get(a.file.path) ?? 0) - (order.get(b.file.path) ?? 0);
  stage.posts.sort(byFile);
  stage.drafts.sort(byFile);
  stage.future.sort(byFile);
  return stage;
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
