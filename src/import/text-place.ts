/**
 * Line and column (1-based) of an offset in a text, for messages that point
 * into an export.
 *
 * @param text   The whole text.
 * @param offset The offset (UTF-16 code units).
 */
export function placeOfOffset(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
