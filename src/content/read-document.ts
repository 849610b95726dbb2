import type { Element, ElementContent, Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import { toText } from 'hast-util-to-text';
import type { VFile } from 'vfile';
import { directionOf, type Direction } from '../config/direction.js';
import type { SiteConfig } from '../config/schema.js';
import { reportError } from '../diagnostics/build-failure.js';
import { parseMarkdown, type MarkdownProcessor } from '../markdown/processor.js';
import type { Located } from './front-matter.js';
import { plainLine } from './plain-text.js';
import { checkPostSize, checkSourceNesting, checkTreeLimits } from './post-limits.js';
import { decideSlug } from './slug-choice.js';

/** What reading a document (post or page) needs besides the file. */
export interface DocumentContext {
  config: SiteConfig;
  /** The processor for a language and direction (cached by the caller). */
  processorFor(lang: string, dir: Direction): MarkdownProcessor;
  /** Absolute path of the folder the document's local images must be in (`posts/`, `pages/`). */
  postsDir: string;
}

/** The front-matter fields every kind of document has that reading it depends on. */
interface DocumentFields {
  title: string;
  slug?: string | undefined;
  lang?: string | undefined;
  dir?: Direction | undefined;
}

/** How a kind of document is read and named. */
export interface DocumentKind<F extends DocumentFields> {
  /** What the document is called in messages: "post", "page". */
  noun: string;
  /** The front matter an empty document is told to start with, e.g. "`title: …`, `date: …`". */
  opening: string;
  /** Reads and validates its front matter, recording problems on the file. */
  readFrontMatter(tree: MdastRoot, file: VFile): Located<F> | undefined;
}

/** A document read, checked and transformed: what posts and pages have in common. */
export interface ReadDocument<F> {
  frontMatter: Located<F>;
  slug: string;
  lang: string;
  dir: Direction;
  /** The body as sanitised hast. */
  tree: HastRoot;
  /** Its page's address: `<site url>/<slug>/`. */
  url: string;
}

/**
 * Reads a post or page the one way both are read: refuses an empty or
 * oversized file and one nested too deeply, parses it, reads its front
 * matter, checks the tree's limits and that there is a body, decides the
 * slug, and transforms the body with the processor of its language and
 * direction. Every problem is recorded on the file.
 *
 * @param file    The document, already read.
 * @param kind    Its kind: front-matter reader and how messages name it.
 * @param context Site configuration and processors.
 * @returns The document, or `undefined` when it has a fatal problem.
 */
export async function readDocument<F extends DocumentFields>(file: VFile, kind: DocumentKind<F>, context: DocumentContext): Promise<ReadDocument<F> | undefined> {
  if (String(file.value ?? '').trim() === '') {
    reportError(file, `the ${kind.noun} is empty: start it with front matter (\`---\`, ${kind.opening}, \`---\`) and write the body below`, { line: 1, column: 1 }, 'post-empty');
    return undefined;
  }
  if (!checkPostSize(file) || !checkSourceNesting(file)) return undefined;
  const mdast = parse(file);
  if (!mdast) return undefined;
  const frontMatter = kind.readFrontMatter(mdast, file);
  if (!frontMatter) return undefined;
  if (!checkTreeLimits(mdast, file)) return undefined;
  if (!mdast.children.some((node) => node.type !== 'yaml')) {
    reportError(file, `the ${kind.noun} has no body: write at least one paragraph after the front matter`, { line: frontMatter.endLine, column: 1 }, 'post-no-body');
    return undefined;
  }
  const slug = decideSlug(file, frontMatter);
  if (!slug) return undefined;
  const lang = frontMatter.data.lang ?? context.config.lang;
  const dir = frontMatter.data.dir ?? directionOf(lang);
  const tree = await transform(context.processorFor(lang, dir), mdast, file);
  if (!tree) return undefined;
  return { frontMatter, slug, lang, dir, tree, url: new URL(`${encodeURIComponent(slug)}/`, context.config.url).href };
}

/** Parses a document; a stack overflow the limits did not foresee becomes an error on the file. */
function parse(file: VFile): MdastRoot | undefined {
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
 * becomes an error on the document instead of a crash without a file name.
 */
async function transform(processor: MarkdownProcessor, mdast: MdastRoot, file: VFile): Promise<HastRoot | undefined> {
  try {
    return await processor.run(mdast, file);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    reportError(file, `the post nests too deeply to process (${error.message}): flatten its quotes, lists or HTML elements`, { line: 1, column: 1 }, 'post-too-deep');
    return undefined;
  }
}

/** Longest summary taken from the first paragraph, in characters. */
const SUMMARY_LENGTH = 160;

/**
 * A document's summary when its front matter has no `description`: the
 * first paragraph (or the whole text), without footnote marks, cut at a word
 * boundary, as one line of plain text (no control or bidi override characters).
 *
 * @param tree The body as hast.
 */
export function summaryOf(tree: HastRoot): string {
  return plainLine(clip(firstParagraph(tree) ?? toText(tree), SUMMARY_LENGTH));
}

/** The text of the first paragraph of a tree, without footnote marks. */
function firstParagraph(tree: HastRoot): string | undefined {
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
