import type { Element } from 'hast';
import { fromParse5 } from 'hast-util-from-parse5';
import { toText } from 'hast-util-to-text';
import { find, html as htmlSchema } from 'property-information';
import { copyTree } from '../render/shared/copy-tree.js';
import { visit, SKIP } from 'unist-util-visit';
import { parse } from 'parse5';

/** What the index learns of one page, read from the Pagefind markers in its HTML. */
export interface PageRecord {
  /** Language of the page (`<html lang>`). */
  lang: string;
  /** The text of the `data-pagefind-body` element, less `data-pagefind-ignore` parts, as the reader sees it. */
  text: string;
  /** `data-pagefind-meta` values: `title`, `date`, `image`, `summary`… */
  meta: Record<string, string>;
  /** `data-pagefind-filter` values: `tag` → every tag. */
  filters: Record<string, string[]>;
}

/** Elements whose text is never a page's words. */
const NEVER_TEXT = new Set(['script', 'style', 'template', 'noscript']);

/**
 * Reads a built page as Pagefind would: only pages holding an element marked
 * `data-pagefind-body` are indexed (posts and `pages/` pages; lists, tag
 * pages and 404 have none), and only that element's text, less anything
 * marked `data-pagefind-ignore`. Meta and filters use Pagefind's syntax,
 * comma-separated entries of `key` (the element's text), `key[attribute]`
 * or `key:value`, anywhere on the page.
 *
 * @param html A page's HTML.
 * @returns The record, or `undefined` for a page with no `data-pagefind-body`.
 */
export function pageRecord(html: string): PageRecord | undefined {
  // Attribute names are case-insensitive in HTML and hold no character references: without the marker in the
  // source, no element has it.
  if (!/data-pagefind-body/i.test(html)) return undefined;
  // parse5 without source positions, which a record never uses (hast-util-from-html always asks for them): a
  // post's record costs about a fifth less. Scripting off, as there: `<noscript>` holds elements, not text.
  const tree = fromParse5(parse(html, { scriptingEnabled: false }));
  let body: Element | undefined;
  let lang = '';
  const meta: Record<string, string> = {};
  const filters: Record<string, string[]> = {};
  visit(tree, 'element', (element) => {
    if (element.tagName === 'html') lang = String(element.properties.lang ?? '');
    if (!body && element.properties.dataPagefindBody !== undefined) body = element;
    for (const [key, value] of markerEntries(element, 'dataPagefindMeta')) meta[key] ??= value;
    for (const [key, value] of markerEntries(element, 'dataPagefindFilter')) if (value) (filters[key] ??= []).push(value);
  });
  if (!body) return undefined;
  return { lang, text: visibleText(body), meta, filters };
}

/** The entries of one marker attribute on an element, with their values. */
function markerEntries(element: Element, property: 'dataPagefindMeta' | 'dataPagefindFilter'): Array<[string, string]> {
  const marker = element.properties[property];
  if (typeof marker !== 'string' || marker.trim() === '') return [];
  return marker.split(',').flatMap((entry): Array<[string, string]> => {
    const attribute = /^\s*([\w-]+)\[([\w-]+)\]\s*$/.exec(entry);
    if (attribute?.[1] && attribute[2]) {
      const value = element.properties[find(htmlSchema, attribute[2]).property];
      return value === undefined || value === null ? [] : [[attribute[1], Array.isArray(value) ? value.join(' ') : String(value)]];
    }
    const literal = /^\s*([\w-]+):(.*)$/s.exec(entry);
    if (literal?.[1] && literal[2] !== undefined) return [[literal[1], literal[2].trim()]];
    const key = entry.trim();
    return /^[\w-]+$/.test(key) ? [[key, collapse(toText(element))]] : [];
  });
}

/** The element's text as a reader sees it, without ignored parts. */
function visibleText(body: Element): string {
  const wrapper = copyTree({ type: 'root', children: [body] });
  const copy = wrapper.children[0] as Element;
  visit(wrapper, 'element', (element, index, parent) => {
    if (parent && index !== undefined && (NEVER_TEXT.has(element.tagName) || element.properties.dataPagefindIgnore !== undefined)) {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    return undefined;
  });
  return toText(copy).trim();
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
