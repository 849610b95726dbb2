import type { Post } from '../content/post.js';

/**
 * True when a post is published by a build at `now`: not a draft (unless
 * drafts are included) and dated at or before `now` (unless future posts are).
 *
 * @param post          The post.
 * @param now           The build's clock.
 * @param includeDrafts `--drafts`.
 * @param includeFuture `--future`.
 */
export function publishedNow(post: Pick<Post, 'meta' | 'date'>, now: Date, includeDrafts: boolean, includeFuture: boolean): boolean {
  return (!post.meta.draft || includeDrafts) && (includeFuture || post.date.getTime() <= now.getTime());
}
