import { readFile, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { SiteConfig } from '../config/schema.js';
import { findPageFiles, PAGES_DIR } from '../content/find-pages.js';
import type { LoadPostContext } from '../content/load-post.js';
import { loadPage } from '../content/load-page.js';
import type { Page } from '../content/page.js';
import type { Post } from '../content/post.js';
import { hasFatal, reportError } from '../diagnostics/build-failure.js';

/** Pages ready to render, and every message their files collected. */
export interface LoadedPages {
  /** Pages to publish (drafts only when asked), in file-name order. */
  pages: Page[];
  /** Messages of every page file, fatal or not. */
  messages: VFileMessage[];
}

/**
 * Reads, parses and checks every page of `pages/` (their slugs are checked
 * against the posts' by {@link reportSharedSlugs} once the posts are known).
 *
 * @param root          The site root.
 * @param config        The site configuration.
 * @param includeDrafts Publish pages marked `draft: true` too.
 * @param processorFor  The posts' processor cache.
 */
export async function loadPages(
  root: string,
  config: SiteConfig,
  includeDrafts: boolean,
  processorFor: LoadPostContext['processorFor'],
): Promise<LoadedPages> {
  const pagesDir = join(root, PAGES_DIR);
  const files = await Promise.all((await findPageFiles(root)).map((path) => readPageFile(path, root)));
  const loaded = await Promise.all(files.map((file) => (hasFatal(file.messages) ? undefined : loadPage(file, { config, processorFor, postsDir: pagesDir }))));
  const pages = loaded.filter((page): page is Page => page !== undefined && (includeDrafts || !page.meta.draft));
  return { pages, messages: files.flatMap((file) => file.messages) };
}

/** Reads a page into a VFile; a page that cannot be read, or links out of the site, carries a fatal message. */
async function readPageFile(path: string, root: string): Promise<VFile> {
  const file = new VFile({ path });
  try {
    const real = await realpath(path);
    const realRoot = await realpath(root);
    if (!real.startsWith(realRoot + sep)) {
      reportError(file, 'this page is a symbolic link that leads out of the site: move the file into pages/ instead of linking to it', undefined, 'post-link-outside');
      return file;
    }
    file.value = await readFile(real, 'utf8');
  } catch (error) {
    reportError(file, `cannot read this page (${(error as NodeJS.ErrnoException).code ?? String(error)}): check that it is a readable file`, undefined, 'post-unreadable');
  }
  return file;
}

/**
 * Reports a page whose slug (without case, NFC) is another page's or a
 * post's (they share `dist/blog/`): each page is named with the others.
 *
 * @param pages The pages.
 * @param posts Every post of the build, drafts included.
 * @param root  The site root.
 */
export function reportSharedSlugs(pages: readonly Page[], posts: ReadonlyArray<Pick<Post, 'slug' | 'file'>>, root: string): void {
  const key = (slug: string) => slug.normalize('NFC').toLowerCase();
  const owners = new Map<string, string[]>();
  for (const item of [...pages, ...posts]) owners.set(key(item.slug), [...(owners.get(key(item.slug)) ?? []), relative(root, item.file.path)]);
  for (const page of pages) {
    const others = (owners.get(key(page.slug)) ?? []).filter((path) => path !== relative(root, page.file.path));
    if (others.length === 0) continue;
    reportError(page.file, `slug "${page.slug}" is also used by ${others.join(', ')}: give one of them another \`slug:\``, { line: 1, column: 1 }, 'slug-duplicate');
  }
}
