/** Writing direction of a language or a block of text. */
export type Direction = 'rtl' | 'ltr';

/** ISO 15924 scripts written right to left. */
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr', 'Yezi', 'Mend', 'Avst', 'Phnx', 'Armi']);

/** Primary language subtags written right to left, for tags Intl cannot read. */
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ckb', 'yi', 'dv', 'ug', 'ks']);

/**
 * The direction a language is written in, from the script of its BCP 47 tag
 * (`ar`, `ar-EG`, `fa-IR`, `az-Arab` are right to left; `ar-Latn`, `en-GB`
 * are not). The script comes from the tag or from CLDR's likely subtags.
 *
 * @param lang A BCP 47 language tag.
 */
export function directionOf(lang: string): Direction {
  let direction = directions.get(lang);
  if (!direction) {
    direction = scriptDirection(lang);
    directions.set(lang, direction);
  }
  return direction;
}

/** Directions by tag: CLDR's likely-subtags lookup is slow next to a page's other work. */
const directions = new Map<string, Direction>();

function scriptDirection(lang: string): Direction {
  try {
    const script = new Intl.Locale(lang).maximize().script;
    if (script) return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  } catch {
    // Not a tag Intl reads (checked elsewhere); fall back to the language alone.
  }
  const primary = lang.toLowerCase().split(/[-_]/)[0] ?? '';
  return RTL_LANGUAGES.has(primary) ? 'rtl' : 'ltr';
}

/**
 * A BCP 47 tag, loosely checked: `ar`, `ar-EG`, `zh-Hant-TW`, `ckb`. Use
 * `readLanguageTag` (language-tag.ts) for the full check Intl makes.
 */
export const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$/;
