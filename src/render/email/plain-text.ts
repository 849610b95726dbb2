import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toText } from 'hast-util-to-text';
import type { Direction } from '../../config/direction.js';
import { firstStrongDirection } from '../../markdown/bidi/text-direction.js';
import { absolute } from '../site/absolute-html.js';

/** Right-to-left mark: keeps a right-to-left line that starts with a Latin word right to left. */
const RLM = '\u200f';

/**
 * The plain-text part of the email, written from the post's tree (not
 * scraped from the HTML): headings marked with `#`, paragraphs separated by
 * blank lines, lists with `-` or numbers, quotes with `>`, code indented,
 * links as "text (URL)" with absolute URLs, footnote marks as `[1]`.
 *
 * hast-util-to-text gives the text a browser would show but loses link
 * targets, list marks and quote marks, which a plain-text reader needs.
 *
 * @param tree    The post's body.
 * @param dir     The post's direction.
 * @param baseUrl The post's page address, for resolving relative links.
 */
export function plainText(tree: Root, dir: Direction, baseUrl: string): string {
  return blocks(tree.children, { dir, baseUrl, depth: 0 }).join('\n\n').trim();
}

interface Context {
  dir: Direction;
  baseUrl: string;
  /** List nesting depth, for indentation. */
  depth: number;
}

function blocks(nodes: ReadonlyArray<RootContent | ElementContent>, context: Context): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    if (node.type === 'text' && node.value.trim()) out.push(line(node.value.trim(), context.dir));
    if (node.type !== 'element') continue;
    const text = block(node, context);
    if (text) out.push(text);
  }
  return out;
}

function block(element: Element, context: Context): string {
  const dir = element.properties.dir === 'ltr' || element.properties.dir === 'rtl' ? element.properties.dir : context.dir;
  const inner = { ...context, dir };
  const heading = /^h([1-6])$/.exec(element.tagName);
  if (heading) return `${'#'.repeat(Number(heading[1]))} ${line(inline(element.children, inner), dir)}`;
  switch (element.tagName) {
    case 'p':
    case 'dt':
    case 'dd':
    case 'figcaption':
      return line(inline(element.children, inner), dir);
    case 'ul':
    case 'ol':
      return listItems(element, inner).join('\n');
    case 'blockquote':
      return blocks(element.children, inner)
        .join('\n\n')
        .split('\n')
        .map((text) => (text ? `> ${text}` : '>'))
        .join('\n');
    case 'pre':
      return toText(element)
        .replace(/\n$/, '')
        .split('\n')
        .map((code) => `    ${code}`)
        .join('\n');
    case 'hr':
      return '----------';
    case 'table':
      return tableRows(element, inner).join('\n');
    case 'img':
      return image(element, inner);
    default:
      return blocks(element.children, inner).join('\n\n');
  }
}

function listItems(list: Element, context: Context): string[] {
  const items = list.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'li');
  const start = typeof list.properties.start === 'number' ? list.properties.start : 1;
  const indent = '  '.repeat(context.depth);
  return items.map((item, index) => {
    const mark = list.tagName === 'ol' ? `${start + index}.` : '-';
    const inline_ = item.children.filter((child) => child.type === 'text' || (child.type === 'element' && !isBlock(child)));
    const nested = item.children.filter((child): child is Element => child.type === 'element' && isBlock(child));
    const head = inline(inline_, context).trim();
    const rest = blocks(nested, { ...context, depth: context.depth + 1 });
    const lines = [head, ...rest].filter(Boolean);
    return `${indent}${mark} ${lines.join('\n')}`;
  });
}

function tableRows(table: Element, context: Context): string[] {
  const rows: string[] = [];
  const visitRows = (nodes: ElementContent[]) => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      if (node.tagName === 'tr') {
        const cells = node.children.filter((cell): cell is Element => cell.type === 'element');
        rows.push(line(cells.map((cell) => inline(cell.children, context).trim()).join(' | '), context.dir));
      } else {
        visitRows(node.children);
      }
    }
  };
  visitRows(table.children);
  return rows;
}

function image(element: Element, context: Context): string {
  const alt = typeof element.properties.alt === 'string' ? element.properties.alt : '';
  const src = typeof element.properties.src === 'string' ? absolute(element.properties.src, context.baseUrl) : '';
  return alt ? `${alt} (${src})` : src;
}

function inline(nodes: ReadonlyArray<ElementContent | RootContent>, context: Context): string {
  let text = '';
  for (const node of nodes) {
    if (node.type === 'text') text += node.value.replace(/\s+/g, ' ');
    if (node.type !== 'element') continue;
    if (node.tagName === 'br') text += '\n';
    else if (node.tagName === 'img') text += image(node, context);
    else if (node.tagName === 'sup' && toText(node).match(/^\d+$/)) text += `[${toText(node)}]`;
    else if (node.tagName === 'a') text += link(node, context);
    else if (isBlock(node)) text += `\n${block(node, context)}\n`;
    else text += inline(node.children, context);
  }
  return text;
}

function link(anchor: Element, context: Context): string {
  const label = inline(anchor.children, context).trim();
  const href = typeof anchor.properties.href === 'string' ? anchor.properties.href : '';
  if (!href || href.startsWith('#')) return label;
  const url = absolute(href, context.baseUrl);
  return label === url || label === href || !label ? url : `${label} (${url})`;
}

const BLOCK_TAGS = new Set(['p', 'ul', 'ol', 'blockquote', 'pre', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'div', 'section', 'dl', 'figure']);

function isBlock(element: Element): boolean {
  return BLOCK_TAGS.has(element.tagName);
}

/**
 * A line of a right-to-left block that starts with a left-to-right word gets
 * a right-to-left mark, so plain-text readers that guess direction per line
 * keep it right to left.
 */
function line(text: string, dir: Direction): string {
  return text
    .split('\n')
    .map((part) => (dir === 'rtl' && firstStrongDirection(part) === 'ltr' ? `${RLM}${part}` : part))
    .join('\n');
}
