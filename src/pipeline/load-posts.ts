import { join } from 'node:path';
import type { VFileMessage } from 'vfile-message';
import type { SiteConfig } from '../config/schema.js';
import { findPostFiles, POSTS_DIR, readPostFile } from '../content/find-posts.js';
import type { Post } from '../content/post.js';
import { hasFatal } from '../diagnostics/build-failure.js';
import { reportDuplicateSlugs } from './slug-checks.js';

/** Posts ready to render, and every message their files collected. */
export interface LoadedPosts {
  /** Posts to publish (drafts only when asked), in file-name order. */
  posts: Post[];
  /** Drafts left out of this build. */
  drafts: Post[];
  /** Messages of every post file, fatal or not. */
  messages: VFileMessage[];
}

/**
 * Reads, parses and checks every post of the site, then checks them against
 * each other (two posts with one slug). Nothing is thrown for a bad post:
 * the messages say what is wrong, so all problems are reported together.
 *
 * @param root          The site root.
 * @param config        The site configuration.
 * @param includeDrafts Publish posts marked `draft: true` too.
 * @param onProgress    Called after each post, for a progress line.
 */
export async function loadPosts(
  root: string,
  config: SiteConfig,
  includeDrafts: boolean,
  onProgress?: (done: number, total: number) => void,
): Promise<LoadedPosts> {
  const paths = await findPostFiles(root);
  if (paths.length === 0) return { posts: [], drafts: [], messages: [] };
  // The Markdown stack is a large part of start-up: loaded only when there is a post to read.
  const [{ loadPost }, { processorCache }] = await Promise.all([import('../content/load-post.js'), import('../markdown/processor-cache.js')]);
  const processorFor = processorCache(config);
  let done = 0;
  const files = await Promise.all(paths.map((path) => readPostFile(path, root)));
  const loaded = await Promise.all(
    files.map(async (file) => {
      const post = hasFatal(file.messages) ? undefined : await loadPost(file, { config, processorFor, postsDir: join(root, POSTS_DIR) });
      onProgress?.((done += 1), files.length);
      return post;
    }),
  );
  const all = loaded.filter((post): post is Post => post !== undefined);
  const posts = all.filter((post) => includeDrafts || !post.meta.draft);
  reportDuplicateSlugs(posts, root);
  return {
    posts,
    drafts: all.filter((post) => !posts.includes(post)),
    messages: files.flatMap((file) => file.messages),
  };
}
