import type { Direction } from '../../config/direction.js';

/** Letters of the right-to-left scripts, and the RLM/ALM marks. */
const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}\u200F\u061C]/u;

/** Any strongly directional character: a letter, or an LRM/RLM/ALM mark. */
const STRONG = /[\p{L}\u200E\u200F\u061C]/u;

/**
 * The direction of a text by its first strong character (the rule of the
 * Unicode bidi algorithm, P2–P3, and of `dir="auto"`), or `undefined` when
 * it has no letters at all (numbers, punctuation, emoji).
 *
 * @param text Plain text.
 */
export function firstStrongDirection(text: string): Direction | undefined {
  const match = STRONG.exec(text);
  if (!match) return undefined;
  return RTL_LETTER.test(match[0]) ? 'rtl' : 'ltr';
}

const LTR_LETTERS = String.raw`\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}`;
const RTL_LETTERS = String.raw`\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}`;

/**
 * Runs of text written against the block's direction: Latin (or Greek,
 * Cyrillic…) words in a right-to-left block, Arabic or Hebrew words in a
 * left-to-right one. A run may span several words with spaces, digits and
 * joining punctuation between them ("RT World News", "U.S", "COVID-19"), and
 * always starts and ends on a letter or digit so that the sentence's own
 * punctuation stays outside it.
 */
const FOREIGN_RUN: Record<Direction, RegExp> = {
  rtl: new RegExp(String.raw`[${LTR_LETTERS}0-9](?:[${LTR_LETTERS}\p{M}0-9 .,'’&@/_:+#-]*[${LTR_LETTERS}\p{M}0-9])?`, 'gu'),
  ltr: new RegExp(String.raw`[${RTL_LETTERS}](?:[${RTL_LETTERS}\p{M}0-9\u0660-\u0669\u06F0-\u06F9 ،.'-]*[${RTL_LETTERS}\p{M}0-9\u0660-\u0669\u06F0-\u06F9])?`, 'gu'),
};

/** A piece of text, with whether it runs against its block's direction. */
export interface TextRun {
  text: string;
  /** True when the run should be isolated (`<bdi>`). */
  foreign: boolean;
}

/**
 * Splits text into runs, marking the ones that run against `dir`. A run of
 * digits alone ("2022") is not foreign: numbers read the same way in both
 * directions.
 *
 * @param text Plain text of an inline node.
 * @param dir  Direction of the block the text is in.
 */
export function splitForeignRuns(text: string, dir: Direction): TextRun[] {
  const runs: TextRun[] = [];
  let last = 0;
  for (const match of text.matchAll(FOREIGN_RUN[dir])) {
    const candidate = match[0];
    if (firstStrongDirection(candidate) === undefined) continue;
    const start = match.index;
    if (start > last) runs.push({ text: text.slice(last, start), foreign: false });
    runs.push({ text: candidate, foreign: true });
    last = start + candidate.length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), foreign: false });
  return runs;
}
