import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { Place } from './build-failure.js';

/** A YAML (or JSON) document together with what is needed to point into it. */
export interface LocatedDocument {
  /** The parsed document, with node ranges. */
  document: Document;
  /** Turns offsets in the source into lines and columns. */
  lineCounter: LineCounter;
  /** Line of the source's first line in the enclosing file, minus one. */
  lineOffset: number;
}

/**
 * Parses YAML (JSON is a subset of it) keeping positions, so that a problem
 * with a value can be reported at its line and column in the enclosing file.
 *
 * @param source     The YAML text.
 * @param lineOffset How many lines of the enclosing file come before `source`
 *                   (1 for front matter, to count the opening `---`).
 */
export function parseLocated(source: string, lineOffset = 0): LocatedDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return { document, lineCounter, lineOffset };
}

/**
 * The place of an offset into the source, in the enclosing file's lines.
 *
 * @param located The document the offset belongs to.
 * @param offset  A character offset into the YAML source.
 */
export function placeOfOffset(located: LocatedDocument, offset: number): Place {
  const { line, col } = located.lineCounter.linePos(offset);
  return { line: line + located.lineOffset, column: col };
}

/**
 * Where a value is, given its key path (`['subscribe', 'action']`). Falls back
 * to the nearest existing parent, then to the start of the document, so a
 * missing key is reported where it would belong.
 *
 * @param located The parsed document.
 * @param path    Keys (and array indexes) leading to the value.
 */
export function placeOfPath(located: LocatedDocument, path: ReadonlyArray<PropertyKey>): Place {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const keys = path.slice(0, depth).map((key) => (typeof key === 'symbol' ? String(key) : key));
    const node = depth === 0 ? located.document.contents : located.document.getIn(keys, true);
    if (isNode(node) && node.range) return placeOfOffset(located, node.range[0]);
  }
  return { line: 1 + located.lineOffset, column: 1 };
}
