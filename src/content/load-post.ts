import type { Element, ElementContent, Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import { toText } from 'hast-util-to-text';
import type { VFile } from 'vfile';
import { directionOf, type Direction } from '../config/direction.js';
import type { SiteConfig } from '../config/schema.js';
import { reportError } from '../diagnostics/build-failure.js';
import { parseMarkdown, type MarkdownProcessor } from '../markdown/processor.js';
import { plainLine } from './plain-text.js';
import { checkPostSize, checkSourceNesting, checkTreeLimits } from './post-limits.js';
import { readFrontMatter, type LocatedFrontMatter } from './front-matter.js';
import { coverOf } from './cover.js';
import { resolveImages } from './images.js';
import type { Post } from './post.js';
import { postInstant } from './post-date.js';
import { decideSlug } from './slug-choice.js';

/** What {@link loadPost} needs besides the file. */
export interface LoadPostContext {
  config: SiteConfig;
  /** The processor for a language and direction (cached by the caller). */
  processorFor(lang: string, dir: Direction): MarkdownProcessor;
  /** Absolute path of the posts folder, where local images must be. */
  postsDir: string;
}

/** Longest summary taken from the first paragraph, in characters. */
const SUMMARY_LENGTH = 160;

/**
 * Turns a post file into a {@link Post}: front matter read and checked, slug
 * decided, body transformed to hast. Problems are recorded on the file.
 *
 * @param file    The post, already read.
 * @param context Site configuration and processors.
 * @returns The post, or `undefined` when it has a fatal problem.
 */
export async function loadPost(file: VFile, context: LoadPostContext): Promise<Post | undefined> {
  if (String(file.value ?? '').trim() === '') {
    reportError(file, 'the post is empty: start it with front matter (`---`, `title: …`, `date: …`, `---`) and write the body below', { line: 1, column: 1 }, 'post-empty');
    return undefined;
  }
  if (!checkPostSize(file) || !checkSourceNesting(file)) return undefined;
  const mdast = parse(file);
  if (!mdast) return undefined;
  const frontMatter = readFrontMatter(mdast, file);
  if (!frontMatter) return undefined;
  if (!checkTreeLimits(mdast, file)) return undefined;
  if (!mdast.children.some((node) => node.type !== 'yaml')) {
    reportError(file, 'the post has no body: write at least one paragraph after the front matter', { line: frontMatter.endLine, column: 1 }, 'post-no-body');
    return undefined;
  }
  const slug = decideSlug(file, frontMatter);
  if (!slug) return undefined;
  const { meta, lang, dir } = languageOf(frontMatter, context.config);
  const tree = await transform(context.processorFor(lang, dir), mdast, file);
  if (!tree) return undefined;
  const cover = coverOf(frontMatter, file);
  const images = await resolveImages(tree, file, context.postsDir, cover);
  const text = toText(tree);
  return {
    file,
    meta,
    slug,
    lang,
    dir,
    date: postInstant(meta.date, context.config.timeZone),
    tree,
    words: text.split(/\s+/u).filter(Boolean).length,
    summary: meta.description ?? plainLine(clip(firstParagraph(tree) ?? text, SUMMARY_LENGTH)),
    url: new URL(`${encodeURIComponent(slug)}/`, context.config.url).href,
    cover: images.cover ?? cover?.value,
    coverAlt: cover?.alt,
    media: images.media,
  };
}

/**
 * Parses a post or page; a stack overflow the limits did not foresee becomes an error on the file.
 *
 * @param file The document.
 */
export function parse(file: VFile): MdastRoot | undefined {
  try {
    return parseMarkdown(file);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    reportError(file, `the post nests too deeply to read (${error.message}): flatten its quotes, lists or HTML elements`, { line: 1, column: 1 }, 'post-too-deep');
    return undefined;
  }
}

/**
 * Runs the processor; a stack overflow that the limits did not foresee
 * becomes an error on the post instead of a crash without a file name.
 */
export async function transform(processor: MarkdownProcessor, mdast: MdastRoot, file: VFile): Promise<HastRoot | undefined> {
  try {
    return await processor.run(mdast, file);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    reportError(file, `the post nests too deeply to process (${error.message}): flatten its quotes, lists or HTML elements`, { line: 1, column: 1 }, 'post-too-deep');
    return undefined;
  }
}

function languageOf(frontMatter: LocatedFrontMatter, config: SiteConfig) {
  const meta = frontMatter.data;
  const lang = meta.lang ?? config.lang;
  return { meta, lang, dir: meta.dir ?? directionOf(lang) };
}

/**
 * The text of the first paragraph of a tree, without footnote marks (for summaries).
 *
 * @param tree The body as hast.
 */
export function firstParagraph(tree: HastRoot): string | undefined {
  const paragraph = tree.children.find((node) => node.type === 'element' && node.tagName === 'p');
  return paragraph?.type === 'element' ? toText(withoutFootnoteRefs(paragraph)) : undefined;
}

/** A copy without footnote references: in a summary, `2015[^1]` must not read "20151". */
function withoutFootnoteRefs(element: Element): Element {
  const isRef = (node: ElementContent) => node.type === 'element' && node.tagName === 'sup' && node.children.some((child) => child.type === 'element' && child.properties.dataFootnoteRef !== undefined);
  return { ...element, children: element.children.filter((child) => !isRef(child)).map((child) => (child.type === 'element' ? withoutFootnoteRefs(child) : child)) };
}

/** Cuts text at a word boundary and adds an ellipsis when it is too long. */
function clip(text: string, length: number): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : length)}…`;
}
