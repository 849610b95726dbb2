import type { Element, Root as HastRoot } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { MEDIA_DIR, resolveImages, type MediaFile } from './images.js';
import type { Page } from './page.js';
import { readPageFrontMatter, type PageFrontMatter } from './page-front-matter.js';
import { postInstant } from './post-date.js';
import { readDocument, summaryOf, type DocumentContext, type DocumentKind } from './read-document.js';

/** What {@link loadPage} needs: the posts' context, with `postsDir` pointing at `pages/`. */
export type LoadPageContext = DocumentContext;

/** Folder under `media/` that pages' images go to, so they never meet a post's image of the same path. */
export const PAGE_MEDIA_DIR = `${MEDIA_DIR}/pages`;

/** How pages are read and named in messages. */
const PAGE: DocumentKind<PageFrontMatter> = { noun: 'page', opening: '`title: …`', readFrontMatter: readPageFrontMatter };

/**
 * Turns a file of `pages/` into a {@link Page}, through the same reading,
 * parser, sanitiser and direction rules as a post. Problems are recorded on
 * the file.
 *
 * @param file    The page, already read.
 * @param context Site configuration, processors, and `postsDir` set to the pages folder.
 * @returns The page, or `undefined` when it has a fatal problem.
 */
export async function loadPage(file: VFile, context: LoadPageContext): Promise<Page | undefined> {
  const document = await readDocument(file, PAGE, context);
  if (!document) return undefined;
  const { frontMatter, slug, lang, dir, tree, url } = document;
  const meta = frontMatter.data;
  const images = await resolveImages(tree, file, context.postsDir);
  return {
    file,
    meta,
    slug,
    lang,
    dir,
    updated: meta.date === undefined ? undefined : postInstant(meta.date, context.config.timeZone),
    tree,
    summary: meta.description ?? summaryOf(tree),
    url,
    media: moveIntoPageMedia(tree, images.media),
  };
}

/** Puts a page's images under `media/pages/`, in the list and in the tree's `src`. */
function moveIntoPageMedia(tree: HastRoot, media: readonly MediaFile[]): MediaFile[] {
  const from = `../${MEDIA_DIR}/`;
  visit(tree, 'element', (node: Element) => {
    const src = node.properties.src;
    if (node.tagName === 'img' && typeof src === 'string' && src.startsWith(from)) node.properties.src = `../${PAGE_MEDIA_DIR}/${src.slice(from.length)}`;
  });
  return media.map((file) => ({ ...file, output: `${PAGE_MEDIA_DIR}/${file.output.slice(MEDIA_DIR.length + 1)}` }));
}
