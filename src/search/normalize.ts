/**
 * One rule of {@link SEARCH_NORMALIZATION}: every match of `pattern` (a
 * regular expression source, used with the `gu` flags) becomes `replacement`.
 */
export interface NormalizationRule {
  /** What the rule is for, for the README and the tests. */
  why: string;
  /** A regular expression source (flags `gu`). */
  pattern: string;
  /** What each match becomes. */
  replacement: string;
}

/**
 * How the text fed to the search index and the reader's query are both
 * rewritten, in order, so that the spellings a reader of Arabic or Persian
 * treats as one word are one word to the index. The same table is written
 * into the search page as JSON and applied there to the query
 * (templates/assets/search.js), so the two sides cannot drift apart.
 * The pages themselves are never changed.
 */
export const SEARCH_NORMALIZATION: readonly NormalizationRule[] = [
  { why: 'diacritics (tashkeel: fatha, damma, kasra, tanwin, shadda, sukun, superscript alef, Quranic marks)', pattern: '[\\u0610-\\u061A\\u064B-\\u065F\\u0670\\u06D6-\\u06DC\\u06DF-\\u06E8\\u06EA-\\u06ED]', replacement: '' },
  { why: 'tatweel (kashida), which only stretches a word', pattern: '\\u0640', replacement: '' },
  { why: 'invisible direction marks and joiners (ZWJ, LRM, RLM, ALM, isolates); the zero-width non-joiner is kept for Pagefind, which indexes a word with one both joined and in parts', pattern: '[\\u200D\\u200E\\u200F\\u061C\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]', replacement: '' },
  { why: 'alef with hamza above or below, with madda, and alef wasla are written as bare alef', pattern: '[\\u0622\\u0623\\u0625\\u0671]', replacement: '\u0627' },
  { why: 'hamza on waw and on yaa, often typed without the hamza', pattern: '\\u0624', replacement: '\u0648' },
  { why: 'hamza on yaa', pattern: '\\u0626', replacement: '\u064A' },
  { why: 'taa marbuta and haa (Persian heh with yeh, Urdu heh goal and ae too)', pattern: '[\\u0629\\u06C0\\u06C1\\u06D5]', replacement: '\u0647' },
  { why: 'alef maqsura and the Persian yeh are Arabic yaa', pattern: '[\\u0649\\u06CC]', replacement: '\u064A' },
  { why: 'the Persian keheh is Arabic kaf', pattern: '\\u06A9', replacement: '\u0643' },
  ...Array.from({ length: 10 }, (_, digit) => ({
    why: `Arabic-Indic and Persian digit ${digit} is ${digit}`,
    pattern: `[\\u066${digit}\\u06F${digit}]`,
    replacement: String(digit),
  })),
];

const compiled = SEARCH_NORMALIZATION.map((rule) => [new RegExp(rule.pattern, 'gu'), rule.replacement] as const);

/**
 * Rewrites text as the search index sees it: compatibility forms folded
 * (NFKC: presentation forms such as ﻻ become plain letters), then
 * {@link SEARCH_NORMALIZATION}. Pagefind lower-cases by itself.
 *
 * @param text Any text: a page's words or a reader's query.
 */
export function normalizeSearchText(text: string): string {
  let result = text.normalize('NFKC');
  for (const [pattern, replacement] of compiled) result = result.replace(pattern, replacement);
  return result;
}

/** The definite article with the prepositions and conjunctions that fuse to it (و ب ف ك ل). */
const ARTICLE = /^(?:[\u0648\u0641]?[\u0628\u0643]?\u0627\u0644|[\u0648\u0641]?\u0644\u0644)(?=[\u0621-\u064A\u066E-\u06D3]{2})/u;

/** An Arabic-script word (after normalisation). */
const ARABIC_WORD = /[\u0621-\u064A\u066E-\u06D3\u200C]+/gu;

/**
 * Extra forms of the words of normalised text, added to what the index reads
 * (never to what a page shows) so a reader finds a word however they type it,
 * whatever the site's language:
 *
 * - words with the article "ال" (also "وال", "بال", "فال", "كال", "لل"),
 *   without it: "مدرسة" finds "المدرسة" (Pagefind's Arabic stemmer does this
 *   by itself, but only on a site whose language is Arabic);
 * - words joined by a zero-width non-joiner (Persian "می‌نویسم"), in their
 *   parts and joined: Pagefind finds the whole word and the joined one, not
 *   "نویسم" alone.
 *
 * @param normalized Text already passed through {@link normalizeSearchText}.
 */
export function indexOnlyForms(normalized: string): string[] {
  const forms = new Set<string>();
  for (const [word] of normalized.matchAll(ARABIC_WORD)) {
    for (const part of [word, ...word.split('\u200C')]) {
      const bare = part.replace(ARTICLE, '');
      if (bare !== part) forms.add(bare);
    }
    if (word.includes('\u200C')) {
      forms.add(word.replaceAll('\u200C', ''));
      for (const part of word.split('\u200C')) if (part.length > 1) forms.add(part);
    }
  }
  return [...forms];
}
