import type { Element, Root, RootContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { EMAIL_COLORS } from './block-styles.js';

/**
 * The email body as MJML: runs of text blocks (paragraphs, headings, lists,
 * quotes, code) go into one `mj-text` each; a paragraph holding only an
 * image becomes `mj-image` (fluid on mobile); `hr` becomes `mj-divider`;
 * a table becomes `mj-table`. The HTML inside `mj-text` is not validated by
 * MJML, which is why it is serialised from hast rather than written by hand.
 *
 * @param tree The body prepared by {@link emailTree}.
 */
export function mjmlBlocks(tree: Root): string {
  const blocks: string[] = [];
  let text: RootContent[] = [];
  const flush = () => {
    if (text.some((node) => node.type === 'element')) blocks.push(`<mj-text>${toHtml({ type: 'root', children: text })}</mj-text>`);
    text = [];
  };
  for (const node of tree.children) {
    const special = node.type === 'element' ? specialBlock(node) : undefined;
    if (special) {
      flush();
      blocks.push(special);
    } else if (node.type === 'element' || (node.type === 'text' && node.value.trim())) {
      text.push(node);
    }
  }
  flush();
  return blocks.join('\n');
}

function specialBlock(element: Element): string | undefined {
  if (element.tagName === 'hr') return `<mj-divider border-width="1px" border-color="${EMAIL_COLORS.rule}" padding="16px 24px" />`;
  if (element.tagName === 'table') return `<mj-table>${toHtml(element.children)}</mj-table>`;
  const image = soleImage(element);
  if (image) {
    const { src, alt, href, width } = image;
    const attributes = { src, alt, href, width, 'fluid-on-mobile': 'true' };
    const written = Object.entries(attributes)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([key, value]) => `${key}="${escapeAttribute(value)}"`)
      .join(' ');
    return `<mj-image ${written} />`;
  }
  return undefined;
}

/** The image of a paragraph that holds nothing else (perhaps inside a link). */
function soleImage(element: Element): { src?: string; alt?: string; href?: string; width?: string } | undefined {
  if (element.tagName !== 'p') return undefined;
  const content = element.children.filter((child) => !(child.type === 'text' && !child.value.trim()));
  const [only] = content;
  if (content.length !== 1 || only?.type !== 'element') return undefined;
  const link = only.tagName === 'a' ? only : undefined;
  const inner = link ? link.children.filter((child) => !(child.type === 'text' && !child.value.trim())) : [only];
  const [image] = inner;
  if (inner.length !== 1 || image?.type !== 'element' || image.tagName !== 'img') return undefined;
  return {
    src: typeof image.properties.src === 'string' ? image.properties.src : undefined,
    alt: typeof image.properties.alt === 'string' ? image.properties.alt : '',
    href: typeof link?.properties.href === 'string' ? link.properties.href : undefined,
    width: typeof image.properties.width === 'number' ? `${image.properties.width}px` : undefined,
  };
}

/**
 * Escapes a value for a double-quoted MJML attribute.
 *
 * @param value Any text.
 */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
