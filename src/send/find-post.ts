import { relative } from 'node:path';
import { distance } from 'fastest-levenshtein';
import type { SiteConfig } from '../config/schema.js';
import { postInstant } from '../content/post-date.js';
import { loadPostHeads, type PostHead } from '../content/post-head.js';

/** Options of {@link checkSendable}. */
export interface SendableOptions {
  /** Refuse a post dated in the future (true for a real send, false for a test copy or a dry run). */
  refuseFuture: boolean;
  /** The clock (default: now). */
  now?: Date;
}

/**
 * The slugs closest to `slug` by edit distance (at most a third of its
 * length, and at least 2), best first; or those that contain it.
 *
 * @param slug  What was typed.
 * @param slugs The slugs there are.
 */
export function closeSlugs(slug: string, slugs: readonly string[]): string[] {
  const typed = slug.toLowerCase();
  const limit = Math.max(2, Math.floor(typed.length / 3));
  return slugs
    .map((candidate) => ({ candidate, cost: candidate.toLowerCase().includes(typed) ? 0.5 : distance(typed, candidate.toLowerCase()) }))
    .filter(({ cost }) => cost <= limit)
    .sort((a, b) => a.cost - b.cost || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
function alternatives(slugs: readonly string[]): string {
  const quoted = slugs.map((slug) => `"${slug}"`);
  return quoted.length < 2 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** The post's date as written (YYYY-MM-DD), for messages. */
function dateText(post: PostHead): string {
  return String(post.meta.date).slice(0, 10);
}

/**
 * Checks that `slug` names a post that can be sent, reading the front
 * matter of every post (drafts included): one line that says what to do
 * when it is mistyped ("did you mean …?"), a draft, has `newsletter:
 * false`, or (for a real send) is dated in the future, which needs `--force`.
 *
 * @param root    The site root.
 * @param config  The site configuration.
 * @param slug    The slug given to `sahifa send`.
 * @param options Whether a future date is refused, and the clock.
 * @returns The post.
 */
export async function checkSendable(root: string, config: SiteConfig, slug: string, options: SendableOptions): Promise<PostHead> {
  const all = await loadPostHeads(root);
  const post = all.find((candidate) => candidate.slug === slug) ?? all.find((candidate) => candidate.slug.normalize('NFC').toLowerCase() === slug.normalize('NFC').toLowerCase());
  const file = (found: PostHead) => relative(root, found.file.path);
  if (!post) {
    const close = closeSlugs(slug, all.filter((candidate) => !candidate.meta.draft).map((candidate) => candidate.slug));
    const closeDrafts = closeSlugs(slug, all.filter((candidate) => candidate.meta.draft).map((candidate) => candidate.slug));
    const hint = close.length
      ? `did you mean ${alternatives(close)}?`
      : closeDrafts.length
        ? `did you mean the draft ${alternatives(closeDrafts)}? (publish it first: remove draft: true from its front matter)`
        : 'a post\'s slug is its file name without the date (posts/2025-02-28-my-post.md is "my-post"), or its `slug:`';
    throw new Error(`there is no post "${slug}": ${hint}`);
  }
  if (post.slug !== slug) throw new Error(`there is no post "${slug}": did you mean "${post.slug}"? (slugs are matched exactly)`);
  if (post.meta.draft) {
    throw new Error(`"${slug}" is a draft (${file(post)} says draft: true): remove that line (or set draft: false) to publish it, then send it`);
  }
  if (!post.meta.newsletter) {
    throw new Error(`"${slug}" has no email: ${file(post)} says newsletter: false; remove that line to send it`);
  }
  if (options.refuseFuture && postInstant(post.meta.date, config.timeZone).getTime() > (options.now ?? new Date()).getTime()) {
    throw new Error(`"${slug}" is dated ${dateText(post)}, in the future (${file(post)}): send it on that day, or pass --force to send it now`);
  }
  return post;
}
