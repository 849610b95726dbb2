/**
 * Text from front matter goes into places with no markup to contain it: the
 * `<title>`, meta attributes, a mail Subject, feed titles, the plain-text
 * email. These functions make such text safe for all of them at once.
 */

// Characters XML 1.0 forbids (C0 controls but TAB, LF, CR; U+FFFE/FFFF; lone surrogates, matched as code points thanks to `u`).
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/gu;

/** Embeddings and overrides (LRE, RLE, PDF, LRO, RLO): deprecated, and the tool of the "Invoice ‮fdp.exe" spoof. */
const EMBEDDING_OR_OVERRIDE = /[\u202a-\u202e]/g;

/** Isolates (LRI, RLI, FSI) and their closer (PDI). */
const ISOLATE = /[\u2066-\u2069]/g;
const PDI = '\u2069';

/** A lone UTF-16 surrogate (`"\uD800"` in YAML): not a character, and `encodeURI` throws on it. */
export const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * Removes what XML 1.0 forbids (U+000B from Word, U+0001, lone surrogates…),
 * so the text can go into `feed.xml` and `rss.xml` and still parse.
 *
 * @param text Any text.
 */
export function xmlSafe(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

/**
 * Removes bidi embeddings and overrides (U+202A–E), keeping isolates.
 *
 * @param text Any text.
 */
export function withoutOverrides(text: string): string {
  return text.replace(EMBEDDING_OR_OVERRIDE, '');
}

/**
 * Makes bidi controls harmless in a plain-text context: embeddings and
 * overrides (U+202A–E) are removed, and isolates (U+2066–9) are balanced (a
 * stray closer dropped, every opener closed at the end), so nothing in the
 * text can reorder what comes after it.
 *
 * @param text Any text.
 */
export function balanceBidi(text: string): string {
  let open = 0;
  const balanced = withoutOverrides(text).replace(ISOLATE, (control) => {
    if (control !== PDI) {
      open += 1;
      return control;
    }
    if (open === 0) return '';
    open -= 1;
    return control;
  });
  return balanced + PDI.repeat(open);
}

/**
 * Text for a one-line plain-text context (a title, a name, a tag): XML-safe,
 * bidi-balanced, line breaks and tabs made spaces.
 *
 * @param text Text from front matter.
 */
export function plainLine(text: string): string {
  return balanceBidi(xmlSafe(text)).replace(/[\t\n\r\u0085\u2028\u2029]+/g, ' ');
}
