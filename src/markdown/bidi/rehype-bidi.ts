import type { Element, ElementContent, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import type { Direction } from '../../config/direction.js';
import { firstStrongDirection, splitForeignRuns } from './text-direction.js';

/** Options of {@link rehypeBidi}. */
export interface RehypeBidiOptions {
  /** Direction of the document the tree goes into. */
  dir: Direction;
}

/** Blocks whose direction is decided by their own text. */
const DIRECTIONAL_BLOCKS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'td', 'th', 'caption', 'figcaption', 'summary',
  'ul', 'ol', 'dl', 'blockquote', 'table', 'figure', 'details', 'section',
]);

/** Elements whose text is left exactly as written. */
const VERBATIM = new Set(['code', 'kbd', 'samp', 'pre', 'bdi', 'bdo', 'script', 'style', 'math', 'svg']);

/**
 * Gives every block the direction of its own text and isolates inline runs
 * written against it.
 *
 * - A block (paragraph, heading, list, quote, cell…) whose first strong
 *   character runs against the direction it inherits gets an explicit `dir`,
 *   so an English paragraph in an Arabic post reads left to right. The
 *   direction is decided here, at build time, rather than with `dir="auto"`,
 *   because `auto` on a container skips children that carry their own `dir`
 *   and because email clients need it written out.
 * - Code blocks are always `dir="ltr"`; inline code in a right-to-left block
 *   gets `dir="ltr"`, which also isolates it.
 * - Inside a block, runs such as "RT World News" in Arabic text are wrapped in
 *   `<bdi>` so the sentence's punctuation does not jump across them.
 *
 * @param options The document's direction.
 */
export default function rehypeBidi(options: RehypeBidiOptions) {
  return (tree: Root) => {
    for (const child of tree.children) {
      if (child.type === 'element') visitElement(child, options.dir);
    }
  };
}

function visitElement(element: Element, inherited: Direction): void {
  const { tagName } = element;
  if (tagName === 'pre') {
    if (inherited !== 'ltr') element.properties.dir = 'ltr';
    return;
  }
  if (tagName === 'code' || tagName === 'kbd' || tagName === 'samp') {
    if (inherited !== 'ltr') element.properties.dir = 'ltr';
    return;
  }
  if (VERBATIM.has(tagName)) return;
  let dir = inherited;
  if (DIRECTIONAL_BLOCKS.has(tagName)) {
    const own = explicitDirection(element) ?? firstStrongDirection(toText(element));
    if (own && own !== inherited) {
      element.properties.dir = own;
    }
    dir = own ?? inherited;
  }
  element.children = element.children.flatMap((child) => isolateChild(child, dir));
}

function explicitDirection(element: Element): Direction | undefined {
  const dir = element.properties.dir;
  return dir === 'rtl' || dir === 'ltr' ? dir : undefined;
}

function isolateChild(child: ElementContent, dir: Direction): ElementContent[] {
  if (child.type === 'element') {
    visitElement(child, dir);
    return [child];
  }
  if (child.type !== 'text') return [child];
  const runs = splitForeignRuns(child.value, dir);
  if (!runs.some((run) => run.foreign)) return [child];
  return runs.map((run): ElementContent =>
    run.foreign
      ? { type: 'element', tagName: 'bdi', properties: {}, children: [{ type: 'text', value: run.text }] }
      : { type: 'text', value: run.text },
  );
}
