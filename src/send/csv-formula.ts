/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (and, after a
 * TAB or CR, what follows) as a formula: a subscriber named
 * `=HYPERLINK("https://evil.example", "click")` would act in whoever opens
 * the export. OWASP's remedy is a leading `'`, which spreadsheets show as text.
 *
 * To make export → import lossless, a value that already starts with quotes
 * before such a character gets one more quote, and import takes exactly one
 * away: the two functions are inverses for every string.
 */
const NEEDS_QUOTE = /^'*[=+\-@\t\r]/;
const QUOTED = /^'+[=+\-@\t\r]/;

/**
 * A cell value safe to open in a spreadsheet.
 *
 * @param value The value as stored.
 */
export function neutraliseCell(value: string): string {
  return NEEDS_QUOTE.test(value) ? `'${value}` : value;
}

/**
 * The value {@link neutraliseCell} was given, from a cell of an export.
 *
 * @param cell The cell as read.
 */
export function restoreCell(cell: string): string {
  return QUOTED.test(cell) ? cell.slice(1) : cell;
}
