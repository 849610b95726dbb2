/** Writing direction of a language or a block of text. */
export type Direction = 'rtl' | 'ltr';

/** Primary language subtags written right to left. */
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ckb', 'yi', 'dv']);

/**
 * The direction a language is written in, from its BCP 47 tag
 * (`ar`, `ar-EG`, `fa-IR`, `en-GB` …). Unknown languages are left to right.
 *
 * @param lang A BCP 47 language tag.
 */
export function directionOf(lang: string): Direction {
  const primary = lang.toLowerCase().split('-')[0] ?? '';
  return RTL_LANGUAGES.has(primary) ? 'rtl' : 'ltr';
}

/** A BCP 47 tag, loosely checked: `ar`, `ar-EG`, `zh-Hant-TW`, `ckb`. */
export const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/;
