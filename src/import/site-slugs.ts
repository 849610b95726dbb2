import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { parse } from 'yaml';
import { findPageFiles } from '../content/find-pages.js';
import { findPostFiles } from '../content/find-posts.js';
import { slugFromFileName } from '../content/slug.js';

/** The front matter block at the start of a Markdown file. */
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?$/m;

/**
 * The slugs the site's own posts and pages already use, in lower case, each
 * with the file that has it (`posts/2024-01-01-hello.md`), so an import can
 * give an entry another slug instead of one the build would refuse as a
 * clash. A file whose front matter cannot be read counts by its file name;
 * the build reports it.
 *
 * @param root The site root.
 */
export async function siteSlugs(root: string): Promise<Map<string, string>> {
  const posts = await findPostFiles(root).catch(() => []);
  const slugs = new Map<string, string>();
  for (const path of [...posts, ...(await findPageFiles(root).catch(() => []))]) {
    const text = await readFile(path, 'utf8').catch(() => '');
    slugs.set((declaredSlug(text) ?? slugFromFileName(basename(path))).toLowerCase(), relative(root, path).split('\\').join('/'));
  }
  return slugs;
}

/** The `slug:` of a front matter, when it has a readable one. */
function declaredSlug(text: string): string | undefined {
  const block = text.startsWith('---') ? FRONT_MATTER.exec(text)?.[1] : undefined;
  if (block === undefined) return undefined;
  try {
    const data: unknown = parse(block, { maxAliasCount: 0 });
    const slug = data && typeof data === 'object' ? (data as { slug?: unknown }).slug : undefined;
    return typeof slug === 'string' && slug.trim() ? slug.trim() : undefined;
  } catch {
    return undefined;
  }
}
