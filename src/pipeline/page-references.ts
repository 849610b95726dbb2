import { decodeHTMLAttribute } from 'entities';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';

/** Attributes of each element that point at something the site must have. */
export const LINKING: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  link: ['href'],
  img: ['src'],
  script: ['src'],
  source: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  iframe: ['src'],
};

/** One reference of a page to something: `<a href>`, `<img src>`… */
export interface PageLink {
  tagName: string;
  attribute: string;
  /** The value as the browser reads it (character references decoded). */
  value: string;
  /** Where the element's start tag begins (1-based line and column). */
  place?: { line: number; column: number; offset: number };
}

/** What the link check needs of a page: the ids it can be linked to and its own references. */
export interface PageReferences {
  ids: Set<string>;
  links: PageLink[];
}

/** Elements whose content is text up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);
/** Elements the quick reading leaves to the full parser (foreign content, template contents, plaintext). */
const LEFT_TO_PARSER = new Set(['svg', 'math', 'template', 'plaintext', 'image']);
const TAG_NAME = /[a-zA-Z][^\t\n\f />]*/y;
const SPACE = /[\t\n\f ]*/y;
const ATTRIBUTE_NAME = /[^\t\n\f />"'<=]+/y;
const UNQUOTED = /[^\t\n\f >"'<=`]+/y;

/**
 * The ids and references of one written page. Pages are read with a quick
 * scan of their tags rather than a full HTML parse (the link check used to
 * parse every page again, a sixth of a build); a page with anything the scan
 * does not read exactly as parse5 does (foreign content, `<template>`,
 * carriage returns, an unclosed comment) is parsed with hast-util-from-html
 * instead, so either way the result is the parser's.
 *
 * @param html A page as written.
 */
export function pageReferences(html: string): PageReferences {
  return scan(html) ?? parsed(html);
}

/** The quick scan, or `undefined` when the page needs the parser. */
export function scan(html: string): PageReferences | undefined {
  if (/[\r\0\uFEFF]/.test(html)) return undefined;
  const ids = new Set<string>();
  const found: Array<{ tagName: string; attribute: string; value: string; offset: number }> = [];
  let at = html.indexOf('<');
  while (at !== -1) {
    const next = html[at + 1] ?? '';
    let end: number;
    if (html.startsWith('<!--', at)) {
      if (html.startsWith('<!-->', at) || html.startsWith('<!--->', at)) return undefined;
      end = html.indexOf('-->', at + 4);
      if (end === -1) return undefined;
      end += 3;
    } else if (next === '!' || next === '?' || next === '/') {
      if (next === '/' && !/[a-zA-Z]/.test(html[at + 2] ?? '')) return undefined;
      end = html.indexOf('>', at);
      // A quote may hide a `>` from parse5 (end-tag attributes, doctype identifiers): leave those to it.
      if (end === -1 || /["']/.test(html.slice(at, end))) return undefined;
      end += 1;
    } else if (/[a-zA-Z]/.test(next)) {
      const tag = startTag(html, at);
      if (!tag) return undefined;
      if (LEFT_TO_PARSER.has(tag.name)) return undefined;
      for (const key of ['id', 'name']) {
        const value = tag.attributes.get(key);
        if (value !== undefined) ids.add(detached(value));
      }
      for (const attribute of LINKING[tag.name] ?? []) {
        const value = tag.attributes.get(attribute);
        if (value) found.push({ tagName: detached(tag.name), attribute, value: detached(value), offset: at });
      }
      end = tag.end;
      if (RAW_TEXT.has(tag.name) && !tag.selfClosing) {
        const close = new RegExp(`</${tag.name}[\\t\\n\\f />]`, 'ig');
        close.lastIndex = end;
        const match = close.exec(html);
        if (!match) return undefined;
        end = match.index;
      }
    } else {
      end = at + 1;
    }
    at = html.indexOf('<', end);
  }
  const lines = lineStarts(html);
  return { ids, links: found.map(({ offset, ...link }) => ({ ...link, place: placeOf(lines, offset) })) };
}

/**
 * A copy of a string cut from a page that does not keep the page alive: V8
 * keeps a slice as a view into the whole string it was cut from, and the
 * build holds every page's references to the end, so each page's HTML would
 * stay in memory with them (about 17 KB a post).
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** A start tag at `at`: its lower-cased name, its attributes (first of each name wins) and where it ends. */
function startTag(html: string, at: number): { name: string; attributes: Map<string, string>; end: number; selfClosing: boolean } | undefined {
  TAG_NAME.lastIndex = at + 1;
  const name = TAG_NAME.exec(html)?.[0].toLowerCase();
  if (!name) return undefined;
  const attributes = new Map<string, string>();
  let index = TAG_NAME.lastIndex;
  for (;;) {
    SPACE.lastIndex = index;
    SPACE.exec(html);
    index = SPACE.lastIndex;
    if (html[index] === '>') return { name, attributes, end: index + 1, selfClosing: false };
    if (html.startsWith('/>', index)) return { name, attributes, end: index + 2, selfClosing: true };
    ATTRIBUTE_NAME.lastIndex = index;
    const attribute = ATTRIBUTE_NAME.exec(html)?.[0].toLowerCase();
    if (!attribute) return undefined;
    index = ATTRIBUTE_NAME.lastIndex;
    SPACE.lastIndex = index;
    SPACE.exec(html);
    let value = '';
    if (html[SPACE.lastIndex] === '=') {
      SPACE.lastIndex += 1;
      SPACE.exec(html);
      index = SPACE.lastIndex;
      const quote = html[index];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, index + 1);
        if (close === -1) return undefined;
        value = html.slice(index + 1, close);
        index = close + 1;
        // parse5 reads an attribute straight after a quoted value (a parse error); leave that to it.
        if (!/[\t\n\f />]/.test(html[index] ?? '')) return undefined;
      } else {
        UNQUOTED.lastIndex = index;
        const unquoted = UNQUOTED.exec(html)?.[0];
        if (!unquoted || !/[\t\n\f >]/.test(html[UNQUOTED.lastIndex] ?? '')) return undefined;
        value = unquoted;
        index = UNQUOTED.lastIndex;
      }
    }
    if (!attributes.has(attribute)) attributes.set(attribute, value.includes('&') ? decodeHTMLAttribute(value) : value);
  }
}

/** Offsets at which each line starts. */
function lineStarts(html: string): number[] {
  const starts = [0];
  for (let index = html.indexOf('\n'); index !== -1; index = html.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function placeOf(lines: readonly number[], offset: number): NonNullable<PageLink['place']> {
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lines[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (lines[low] ?? 0) + 1, offset };
}

/** The full parse, for pages the scan leaves alone. */
export function parsed(html: string): PageReferences {
  const tree = fromHtml(html);
  const ids = new Set<string>();
  const links: PageLink[] = [];
  visit(tree, 'element', (node: Element) => {
    for (const key of ['id', 'name'] as const) if (typeof node.properties[key] === 'string') ids.add(node.properties[key]);
    for (const attribute of LINKING[node.tagName] ?? []) {
      const value = node.properties[attribute];
      const start = node.position?.start;
      if (typeof value === 'string' && value) links.push({ tagName: node.tagName, attribute, value, place: start && { line: start.line, column: start.column, offset: start.offset ?? 0 } });
    }
  });
  return { ids, links };
}
