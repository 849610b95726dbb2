import { slug as githubSlug } from 'github-slugger';
import { outputKey, RESERVED_SLUGS } from '../pipeline/output-layout.js';

/** Letters (any script), marks and digits, in words joined by single hyphens or underscores. */
const SAFE_SLUG = /^[\p{L}\p{M}\p{N}]+(?:[-_][\p{L}\p{M}\p{N}]+)*$/u;


/** Longest slug accepted, in characters (file systems cap names at 255 bytes). */
const MAX_SLUG_LENGTH = 80;

/**
 * The slug a post gets from its file name: the name without `.md` and without
 * a leading `YYYY-MM-DD-`, made safe with GitHub's heading-slug rules (Arabic
 * letters are kept; spaces become hyphens; punctuation goes).
 *
 * @param fileName The post's file name, e.g. `2025-02-28-russia-us-talks.md`.
 */
export function slugFromFileName(fileName: string): string {
  const stem = fileName.replace(/\.md$/i, '').replace(/^\d{4}-\d{2}-\d{2}-/, '');
  return githubSlug(stem).replace(/-{2,}/g, '-').replace(/^-|-$/g, '');
}

/**
 * Why a slug cannot be used as a folder name under `dist/blog/`, or
 * `undefined` when it is safe. A slug with `/`, `..`, dots, spaces or
 * control characters never reaches the file system.
 *
 * @param slug The slug to check.
 */
export function slugProblem(slug: string): string | undefined {
  if (slug.length === 0) return 'the slug is empty';
  if (slug.length > MAX_SLUG_LENGTH) return `the slug is longer than ${MAX_SLUG_LENGTH} characters`;
  if (!SAFE_SLUG.test(slug)) {
    return 'a slug may hold only letters, digits and single hyphens or underscores between them (no "/", "..", dots or spaces)';
  }
  if (RESERVED_SLUGS.has(outputKey(slug))) {
    return `"${slug}" is a name the site itself uses under dist/blog/ (${[...RESERVED_SLUGS].sort().join(', ')} are taken)`;
  }
  return undefined;
}

/**
 * A safe slug to suggest in place of an unsafe one.
 *
 * @param slug The unsafe slug.
 */
export function suggestSlug(slug: string): string {
  const suggestion = slugFromFileName(slug.replace(/[/\\.]+/g, '-')).slice(0, MAX_SLUG_LENGTH).replace(/-$/, '');
  return suggestion && !slugProblem(suggestion) ? suggestion : 'my-post';
}
