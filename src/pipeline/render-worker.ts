import { join } from 'node:path';
import { VFile } from 'vfile';
import type { CachedMessage, CachedPost } from '../cache/cached-post.js';
import type { SiteConfig } from '../config/schema.js';
import { POSTS_DIR } from '../content/find-posts.js';
import { BuildFailure } from '../diagnostics/build-failure.js';
import { loadPost } from '../content/load-post.js';
import { imageStep, type ImageStep } from '../images/process-site-images.js';
import { processorCache } from '../markdown/processor-cache.js';
import { emailHelpers } from '../render/email/render-email.js';
import { keepCompiledLayouts } from '../render/email/splice-mjml.js';
import { pageHelpers } from '../render/shared/helpers.js';
import { loadTemplateSet } from '../render/template-set.js';
import type { PageRecord } from '../search/page-record.js';
import type { PageReferences } from './page-references.js';
import { entryPost, mediaHashes, storedMessage, type EntryPost } from './post-entry.js';
import { writePostOutputs, type PostOutputContext } from './post-outputs.js';
import { MemoryOutput } from './output-view.js';
import { publishedNow } from './scheduled.js';

/** One post for a worker to load and render. */
export interface RenderTask {
  root: string;
  /** The site configuration, navigation resolved. */
  config: SiteConfig;
  now: Date;
  /** The post's path and text (as the main thread read and hashed it). */
  path: string;
  source: string;
  /** Whether drafts and future posts are published (a post that is not is loaded but not rendered). */
  includeDrafts: boolean;
  includeFuture: boolean;
  /** Where compiled email layouts are kept, when the build has a cache. */
  layouts?: string;
  /** Send back each page's search record (see `PostOutputContext.searchRecords`). */
  searchRecords?: boolean;
}

/** What a worker sends back for a post. */
export interface RenderAnswer {
  /** The post's fields, when it loaded. */
  post?: EntryPost;
  messages: CachedMessage[];
  /** A failure thrown while rendering (a template error), as messages with their files: rethrown by the main thread. */
  failure?: Array<CachedMessage & { file: string }>;
  /** Rendered: its files in the order written, its page's references, its feed HTML. */
  rendered?: { files: Array<[string, string | Uint8Array]>; references: PageReferences; feedHtml: string; email: boolean; media: CachedPost['media']; searchRecord?: PageRecord | null };
}

let prepared: { key: string; context: Promise<PostOutputContext & { processorFor: ReturnType<typeof processorCache>; images: ImageStep }> } | undefined;

/** The templates and processors of a site, made once per worker (and again only if the site changes). */
function contextFor(task: RenderTask) {
  keepCompiledLayouts(task.layouts);
  const key = JSON.stringify([task.root, task.config, task.now]);
  if (prepared?.key !== key) {
    prepared = {
      key,
      context: (async () => ({
        config: task.config,
        now: task.now,
        pageTemplates: await loadTemplateSet(task.root, 'page', pageHelpers),
        emailTemplates: task.config.email ? await loadTemplateSet(task.root, 'email', emailHelpers) : undefined,
        processorFor: processorCache(task.config),
        // Each worker has its own image step; the image cache on disk is shared.
        images: imageStep(task.root, task.config.images),
      }))(),
    };
  }
  return prepared.context;
}

/**
 * Loads and renders one post in a worker thread: the same functions as a
 * single-threaded build, so the files are byte for byte the same. The files
 * come back to the main thread, which writes them.
 *
 * @param task The post and the site.
 */
export default async function renderInWorker(task: RenderTask): Promise<RenderAnswer> {
  try {
    return await render(task);
  } catch (error) {
    // A thrown BuildFailure would reach the main thread as a plain Error (its messages lost): it is sent as data.
    if (!(error instanceof BuildFailure)) throw error;
    return { messages: [], failure: error.messages.map((message) => ({ ...storedMessage(message), file: message.file ?? task.path })) };
  }
}

async function render(task: RenderTask): Promise<RenderAnswer> {
  const context = await contextFor(task);
  const file = new VFile({ path: task.path, value: task.source });
  const post = await loadPost(file, { config: context.config, processorFor: context.processorFor, postsDir: join(task.root, POSTS_DIR) });
  if (!post) return { messages: file.messages.map(storedMessage) };
  if (!publishedNow(post, task.now, task.includeDrafts, task.includeFuture)) return { post: entryPost(post), messages: file.messages.map(storedMessage) };
  const media = mediaHashes(post);
  await context.images.process([post]);
  const memory = new MemoryOutput();
  const written = await writePostOutputs(post, { ...context, searchRecords: task.searchRecords ?? false }, memory);
  return {
    post: entryPost(post),
    messages: file.messages.map(storedMessage),
    rendered: { files: [...memory.files], references: written.references, feedHtml: written.feedHtml, email: written.email !== undefined, media, ...(written.searchRecord !== undefined ? { searchRecord: written.searchRecord } : {}) },
  };
}
