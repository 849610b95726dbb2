import type { PostSummary } from '../content/post.js';
import type { FeedPost } from '../render/site/feeds.js';
import { newerFirst } from '../render/site/tags.js';

/** A post that may be in the feeds, with a way to get its feed HTML. */
interface Candidate {
  post: PostSummary;
  html: () => Promise<string>;
}

/**
 * The posts the feeds will carry, kept as they are rendered: only the
 * `length` newest so far keep their feed HTML (or the way to fetch it from
 * the cache), so memory does not grow with the site.
 */
export class FeedPosts {
  private candidates: Candidate[] = [];

  /** @param length How many posts a feed carries (`feedLength`). */
  constructor(private readonly length: number) {}

  /**
   * Offers a published post.
   *
   * @param post The post.
   * @param html Its feed HTML, or how to get it.
   */
  offer(post: PostSummary, html: string | (() => Promise<string>)): void {
    this.candidates.push({ post, html: typeof html === 'string' ? async () => html : html });
    if (this.candidates.length > 2 * this.length + 16) this.trim();
  }

  /** The newest posts with their feed HTML, newest first. */
  async posts(): Promise<FeedPost[]> {
    this.trim();
    return Promise.all(this.candidates.map(async ({ post, html }) => ({ ...post, feedHtml: await html() })));
  }

  private trim(): void {
    this.candidates.sort((a, b) => newerFirst(a.post, b.post));
    this.candidates.length = Math.min(this.candidates.length, this.length);
  }
}
