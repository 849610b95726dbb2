import { slug as githubSlug } from 'github-slugger';
import type { Post, PostSummary } from '../../content/post.js';

/** A tag and the posts that carry it. */
export interface Tag {
  /** The tag as first written. */
  name: string;
  /** Its folder under `dist/blog/tags/`: GitHub's slug rules, Arabic letters kept. */
  slug: string;
  /** Its posts, newest first. */
  posts: PostSummary[];
}

/**
 * The slug of a tag: lower case, spaces to hyphens, punctuation dropped,
 * letters of every script kept (`الولايات المتحدة` → `الولايات-المتحدة`).
 * A tag of punctuation only gets a slug from its code points.
 *
 * @param name The tag.
 */
export function tagSlug(name: string): string {
  let slug = slugs.get(name);
  if (slug === undefined) {
    slug = slugOf(name);
    slugs.set(name, slug);
  }
  return slug;
}

/** Tag slugs by name: a site has few tags, each on many posts. */
const slugs = new Map<string, string>();

function slugOf(name: string): string {
  const slug = githubSlug(name).replace(/-{2,}/g, '-').replace(/^-|-$/g, '');
  return slug || `tag-${[...name].map((character) => character.codePointAt(0)?.toString(16)).join('-')}`;
}

/**
 * Every tag of the posts, sorted by name in the site's language. Tags that
 * differ only in case or punctuation share a slug and are merged.
 *
 * @param posts The published posts, newest first.
 * @param lang  The site's language, for sorting.
 */
export function collectTags(posts: readonly PostSummary[], lang: string): Tag[] {
  const bySlug = new Map<string, Tag>();
  for (const post of posts) {
    // Two tags of one post may share a slug: the post is listed once.
    for (const slug of new Set(post.meta.tags.map(tagSlug))) {
      const tag = bySlug.get(slug) ?? { name: post.meta.tags.find((name) => tagSlug(name) === slug) as string, slug, posts: [] };
      tag.posts.push(post);
      bySlug.set(slug, tag);
    }
  }
  const collator = new Intl.Collator(lang);
  return [...bySlug.values()].sort((a, b) => collator.compare(a.name, b.name));
}

/**
 * Posts sorted newest first (then by slug, so equal dates keep a stable order).
 *
 * @param posts Posts in any order.
 */
export function newestFirst<T extends Pick<Post, 'date' | 'slug'>>(posts: readonly T[]): T[] {
  return [...posts].sort(newerFirst);
}

/** The default locale's collation, as `localeCompare` without arguments uses, made once. */
const slugOrder = new Intl.Collator();

/**
 * The order of {@link newestFirst}, for `Array.prototype.sort`.
 *
 * @param a A post.
 * @param b Another.
 */
export function newerFirst(a: Pick<Post, 'date' | 'slug'>, b: Pick<Post, 'date' | 'slug'>): number {
  return b.date.getTime() - a.date.getTime() || slugOrder.compare(a.slug, b.slug);
}
