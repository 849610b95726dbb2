import { placeOfOffset } from './text-place.js';

/**
 * Parses JSON, or throws one line with the place of the problem
 * (`export.json:12:5: …`), which `JSON.parse` gives only as an offset.
 *
 * @param text   The JSON text.
 * @param source The file's name.
 * @param what   What the file should be, for the advice.
 */
export function parseJsonAt(text: string, source: string, what: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = (error as Error).message;
    const offset = /at position (\d+)/.exec(reason)?.[1];
    const { line, column } = placeOfOffset(text, offset === undefined ? text.length : Number(offset));
    throw new Error(`${source}:${line}:${column}: malformed JSON: ${reason.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/, '')}; ${what}`);
  }
}
