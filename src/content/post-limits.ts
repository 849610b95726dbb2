import type { Nodes as MdastNodes, Root as MdastRoot, Table } from 'mdast';
import type { VFile } from 'vfile';
import { reportError, type Place } from '../diagnostics/build-failure.js';

/** Largest post accepted, in bytes of UTF-8. */
export const MAX_POST_BYTES = 1024 * 1024;

/** Deepest nesting accepted: quotes, lists and raw HTML elements inside each other. */
export const MAX_NESTING = 100;

/** Most cells in one table (rows × columns, since short rows are filled up to the header's width). */
export const MAX_TABLE_CELLS = 20_000;

// Elements that never hold others, and those whose end tag is optional (`<p>`, `<li>`): neither deepens the count.
const NOT_NESTING = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option']);
const TAG = /<(\/?)([a-z][a-z\d-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/gi;

/**
 * Refuses a post too large to process safely, before it is parsed: Markdown
 * and HTML tools walk trees recursively, so a post that nests 1,000 quotes
 * or 10,000 `<div>`s overflows the stack, and a table of 2 MB fills memory.
 *
 * @param file The post, read.
 * @returns `true` when the post may be parsed.
 */
export function checkPostSize(file: VFile): boolean {
  const bytes = Buffer.byteLength(String(file.value ?? ''));
  if (bytes <= MAX_POST_BYTES) return true;
  reportError(file, `the post is ${megabytes(bytes)} MB, more than the ${megabytes(MAX_POST_BYTES)} MB a post may have: split it into several posts`, { line: 1, column: 1 }, 'post-too-large');
  return false;
}

// The start of a line that opens containers: spaces and tabs, `>` quote markers and list markers.
const CONTAINER_PREFIX = /^(?:[ \t]|>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))*/;
const FENCE = /^[ \t>]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)*(```|~~~)/;

/**
 * Refuses, before parsing, a post whose lines open too many containers at
 * once (quotes `>>>…`, lists indented level after level, `- - - …`): the
 * Markdown parser itself slows down and then overflows on such input, so the
 * tree cannot be checked after. Each `>`, each list marker and every two
 * columns of indentation count as one level; lines inside code fences are
 * skipped.
 *
 * @param file The post, read.
 * @returns `true` when the post may be parsed.
 */
export function checkSourceNesting(file: VFile): boolean {
  const lines = String(file.value ?? '').split('\n');
  let fence: string | undefined;
  for (const [index, line] of lines.entries()) {
    const opened = FENCE.exec(line)?.[1];
    if (opened && (fence === undefined || opened === fence)) {
      fence = fence === undefined ? opened : undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const prefix = CONTAINER_PREFIX.exec(line)?.[0] ?? '';
    let levels = 0;
    let columns = 0;
    for (const [offset, char] of [...prefix].entries()) {
      if (char === ' ') columns += 1;
      else if (char === '\t') columns += 4;
      else if (char !== '.' && char !== ')' && !/\d/.test(char)) levels += 1;
      if (levels + Math.floor(columns / 2) > MAX_NESTING) return tooDeep(file, { line: index + 1, column: offset + 1 });
    }
  }
  return true;
}

/**
 * Refuses a parsed post that nests deeper than {@link MAX_NESTING} (raw HTML
 * counted by its tags) or has a table of more than {@link MAX_TABLE_CELLS}
 * cells, at the line where the limit is passed. The walk keeps its own stack,
 * so it cannot overflow on the trees it is there to catch.
 *
 * @param tree The post's mdast.
 * @param file The post; errors are recorded here.
 * @returns `true` when the post may be transformed.
 */
export function checkTreeLimits(tree: MdastRoot, file: VFile): boolean {
  const stack: Array<{ node: MdastNodes; depth: number }> = [{ node: tree, depth: 0 }];
  let openHtml = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node.type === 'html') {
      const html = htmlDepth(node.value, openHtml, MAX_NESTING - depth);
      openHtml = html.open;
      if (html.overAt !== undefined) return tooDeep(file, lineWithin(node, html.overAt));
    } else if (depth > MAX_NESTING) {
      return tooDeep(file, placeOf(node));
    }
    if (node.type === 'table' && tableCells(node) > MAX_TABLE_CELLS) {
      reportError(
        file,
        `this table has ${tableCells(node)} cells (rows × columns), more than the ${MAX_TABLE_CELLS} a table may have: split it, or link the data as a file`,
        placeOf(node),
        'post-table-too-large',
      );
      return false;
    }
    if ('children' in node) {
      for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push({ node: node.children[index]!, depth: depth + 1 });
    }
  }
  return true;
}

function tooDeep(file: VFile, place: Place | undefined): false {
  reportError(file, `the post nests more than ${MAX_NESTING} levels deep here (quotes, lists or HTML elements inside each other): flatten this part`, place, 'post-too-deep');
  return false;
}

function tableCells(table: Table): number {
  const columns = Math.max(table.align?.length ?? 0, ...table.children.slice(0, 1).map((row) => row.children.length));
  return columns * table.children.length;
}

/**
 * Follows the tags of a raw HTML chunk from `open` elements already open;
 * `overAt` is the offset of the first tag that opens more than `limit`.
 */
function htmlDepth(html: string, open: number, limit: number): { open: number; overAt?: number } {
  for (const match of html.matchAll(TAG)) {
    const [, closing, name = '', selfClosing] = match;
    if (NOT_NESTING.has(name.toLowerCase()) || selfClosing) continue;
    open = closing ? Math.max(0, open - 1) : open + 1;
    if (open > limit) return { open, overAt: match.index };
  }
  return { open };
}

function placeOf(node: MdastNodes): Place | undefined {
  const start = node.position?.start;
  return start ? { line: start.line, column: start.column } : undefined;
}

function lineWithin(node: MdastNodes & { value: string }, offset: number): Place | undefined {
  const start = placeOf(node);
  if (!start) return undefined;
  const before = node.value.slice(0, offset).split('\n');
  return before.length === 1 ? { line: start.line, column: start.column + offset } : { line: start.line + before.length - 1, column: before.at(-1)!.length + 1 };
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}
