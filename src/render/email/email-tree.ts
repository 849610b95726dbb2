import type { Element, ElementContent, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import type { Direction } from '../../config/direction.js';
import { firstStrongDirection } from '../../markdown/bidi/text-direction.js';
import { withAbsoluteUrls } from '../site/absolute-html.js';
import type { Pictures } from '../../images/responsive-image.js';
import { withEmailImages } from './email-images.js';
import { blockStyle, CODE_BLOCK_STYLE, inlineStyle } from './block-styles.js';

/** Elements that start a block of text and get their own `dir` and style in email. */
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'dl', 'dt', 'dd', 'th', 'td', 'figcaption', 'section']);

/**
 * The post's body made ready for email, from the same hast the page uses: a
 * copy in which
 * - every block carries `dir` and an inline style with its direction and
 *   alignment (webmail drops `<html dir>`; Gmail turns `<body>` into a `<div>`);
 * - `<bdi>` becomes `<span dir>`, which mail clients keep;
 * - code blocks become lines joined by `<br>`, left to right;
 * - every link and image address is absolute, and each image is its email
 *   version (one JPEG or PNG, shown at most 600 pixels wide);
 * - classes are dropped (no stylesheet will match them).
 *
 * @param tree    The post's body.
 * @param dir     The post's direction.
 * @param baseUrl The post's page address, for resolving relative URLs.
 * @param pictures The post's processed images.
 */
export function emailTree(tree: Root, dir: Direction, baseUrl: string, pictures?: Pictures): Root {
  const copy = withAbsoluteUrls(withEmailImages(tree, pictures), baseUrl);
  copy.children = copy.children.map((child) => (child.type === 'element' ? prepare(child, dir) : child)) as Root['children'];
  return copy;
}

function prepare(element: Element, inherited: Direction): Element {
  if (element.tagName === 'pre') return codeBlock(element);
  const own = element.properties.dir === 'ltr' || element.properties.dir === 'rtl' ? element.properties.dir : undefined;
  const dir: Direction = BLOCKS.has(element.tagName) ? (own ?? firstStrongDirection(toText(element)) ?? inherited) : (own ?? inherited);
  const properties = { ...element.properties };
  delete properties.className;
  if (BLOCKS.has(element.tagName)) {
    properties.dir = dir;
    properties.style = blockStyle(element.tagName, dir);
  } else if (inlineStyle(element.tagName)) {
    properties.style = inlineStyle(element.tagName);
  }
  const tagName = element.tagName === 'bdi' ? 'span' : element.tagName;
  if (element.tagName === 'bdi') properties.dir = inherited === 'rtl' ? 'ltr' : 'rtl';
  return {
    ...element,
    tagName,
    properties,
    children: element.children.map((child): ElementContent => (child.type === 'element' ? prepare(child, dir) : child)),
  };
}

/** A code block as a `<div dir="ltr">` of lines joined by `<br>`, indentation kept with no-break spaces. */
function codeBlock(pre: Element): Element {
  const lines = toText(pre).replace(/\n$/, '').split('\n');
  const children: ElementContent[] = lines.flatMap((line, index): ElementContent[] => {
    const text: ElementContent = { type: 'text', value: line.replace(/^ +/, (spaces) => '\u00a0'.repeat(spaces.length)) || '\u00a0' };
    return index === 0 ? [text] : [{ type: 'element', tagName: 'br', properties: {}, children: [] }, text];
  });
  return { type: 'element', tagName: 'div', properties: { dir: 'ltr', style: CODE_BLOCK_STYLE }, children };
}
