import type { Element, Root as HastRoot } from 'hast';
import { toText } from 'hast-util-to-text';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { directionOf } from '../config/direction.js';
import { reportError } from '../diagnostics/build-failure.js';
import { MEDIA_DIR, resolveImages, type MediaFile } from './images.js';
import { firstParagraph, parse, transform, type LoadPostContext } from './load-post.js';
import { checkPostSize, checkSourceNesting, checkTreeLimits } from './post-limits.js';
import type { Page } from './page.js';
import { readPageFrontMatter } from './page-front-matter.js';
import { postInstant } from './post-date.js';
import { decideSlug } from './slug-choice.js';

/** What {@link loadPage} needs: the posts' context, with `postsDir` pointing at `pages/`. */
export type LoadPageContext = LoadPostContext;

/** Folder under `media/` that pages' images go to, so they never meet a post's image of the same path. */
export const PAGE_MEDIA_DIR = `${MEDIA_DIR}/pages`;

/** Longest summary taken from the first paragraph, in characters. */
const SUMMARY_LENGTH = 160;

/**
 * Turns a file of `pages/` into a {@link Page}, through the same parser,
 * sanitiser and direction rules as a post. Problems are recorded on the file.
 *
 * @param file    The page, already read.
 * @param context Site configuration, processors, and `postsDir` set to the pages folder.
 * @returns The page, or `undefined` when it has a fatal problem.
 */
export async function loadPage(file: VFile, context: LoadPageContext): Promise<Page | undefined> {
  if (String(file.value ?? '').trim() === '') {
    reportError(file, 'the page is empty: start it with front matter (`---`, `title: …`, `---`) and write the body below', { line: 1, column: 1 }, 'post-empty');
    return undefined;
  }
  if (!checkPostSize(file) || !checkSourceNesting(file)) return undefined;
  const mdast = parse(file);
  if (!mdast) return undefined;
  const frontMatter = readPageFrontMatter(mdast, file);
  if (!frontMatter) return undefined;
  if (!checkTreeLimits(mdast, file)) return undefined;
  if (!mdast.children.some((node) => node.type !== 'yaml')) {
    reportError(file, 'the page has no body: write at least one paragraph after the front matter', { line: frontMatter.endLine, column: 1 }, 'post-no-body');
    return undefined;
  }
  const slug = decideSlug(file, frontMatter);
  if (!slug) return undefined;
  const meta = frontMatter.data;
  const lang = meta.lang ?? context.config.lang;
  const dir = meta.dir ?? directionOf(lang);
  const tree = await transform(context.processorFor(lang, dir), mdast, file);
  if (!tree) return undefined;
  const images = await resolveImages(tree, file, context.postsDir);
  return {
    file,
    meta,
    slug,
    lang,
    dir,
    updated: meta.date === undefined ? undefined : postInstant(meta.date, context.config.timeZone),
    tree,
    summary: meta.description ?? clip(firstParagraph(tree) ?? toText(tree)),
    url: new URL(`${encodeURIComponent(slug)}/`, context.config.url).href,
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

function clip(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  if (flat.length <= SUMMARY_LENGTH) return flat;
  const cut = flat.slice(0, SUMMARY_LENGTH);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : SUMMARY_LENGTH)}…`;
}
