import { relative } from 'node:path';
import type { Post } from '../content/post.js';
import { reportError } from '../diagnostics/build-failure.js';
import { outputKey } from './output-layout.js';

type Named = Pick<Post, 'slug' | 'file'>;

/**
 * Reports every post whose slug another post has too (case and Unicode form
 * folded: case-insensitive file systems would merge the folders).
 *
 * @param posts The posts of the build.
 * @param root  The site root, for the paths in messages.
 */
export function reportDuplicateSlugs(posts: readonly Named[], root: string): void {
  const bySlug = new Map<string, Named[]>();
  for (const post of posts) {
    const key = post.slug.normalize('NFC').toLowerCase();
    bySlug.set(key, [...(bySlug.get(key) ?? []), post]);
  }
  for (const group of bySlug.values()) {
    if (group.length < 2) continue;
    for (const post of group) {
      const others = group.filter((other) => other !== post).map((other) => relative(root, other.file.path)).join(', ');
      reportError(post.file, `slug "${post.slug}" is also used by ${others}: give one of them another \`slug:\``, { line: 1, column: 1 }, 'slug-duplicate');
    }
  }
}

/**
 * A last check that no post folder shares its name with another output (an
 * output added without updating BLOG_OUTPUTS would otherwise be replaced
 * silently by a post, or replace it).
 *
 * @param posts     The posts and pages, whose folders are `<slug>/`.
 * @param blogPaths Every path written under `blog/`.
 */
export function reportSlugCollisions(posts: readonly Named[], blogPaths: readonly string[]): void {
  const postFolders = new Set(posts.map((post) => `${post.slug}/index.html`));
  const taken = new Set(blogPaths.filter((path) => !postFolders.has(path)).map((path) => outputKey(path.split('/')[0] ?? path)));
  for (const post of posts) {
    if (taken.has(outputKey(post.slug))) {
      reportError(post.file, `slug "${post.slug}" is a name the site itself uses under dist/blog/: give the post another \`slug:\``, { line: 1, column: 1 }, 'slug-reserved');
    }
  }
}
