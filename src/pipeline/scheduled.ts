import type { Post } from '../content/post.js';

/** Posts split by whether their date has come. */
export interface ScheduledPosts {
  /** Posts to publish now. */
  published: Post[];
  /** Posts dated after the build's clock (a writer schedules that way). */
  future: Post[];
}

/**
 * Leaves out the posts whose date has not come yet, so a post written ahead
 * is published by the first build on or after its date, not at once. A
 * calendar date counts from the start of that day in the site's time zone.
 *
 * @param posts   The loaded posts.
 * @param now     The build's clock.
 * @param include Publish them anyway (`--future`).
 */
export function splitScheduled(posts: readonly Post[], now: Date, include: boolean): ScheduledPosts {
  if (include) return { published: [...posts], future: [] };
  const published: Post[] = [];
  const future: Post[] = [];
  for (const post of posts) (post.date.getTime() > now.getTime() ? future : published).push(post);
  return { published, future };
}

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
