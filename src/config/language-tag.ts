import { z } from 'zod';
import { terminalSafe } from '../diagnostics/terminal-text.js';

/** Tags shown in messages as what a good value looks like. */
export const LANGUAGE_TAG_EXAMPLES = '"ar", "en-GB" or "ar-SA-u-ca-islamic-umalqura"';

/** Unicode extension keys whose values Intl can list, and what they are called. */
const CHECKED_KEYWORDS = [
  { key: 'ca', kind: 'calendar', name: 'calendar', examples: 'islamic-umalqura, islamic, islamic-civil, persian, hebrew or gregory', supported: () => Intl.supportedValuesOf('calendar') },
  { key: 'nu', kind: 'numberingSystem', name: 'numbering system', examples: 'latn, arab or arabext', supported: () => Intl.supportedValuesOf('numberingSystem') },
] as const;

/** The outcome of reading a language tag. */
export type LanguageTagResult = { ok: true; tag: string } | { ok: false; problem: string };

/**
 * Reads a BCP 47 language tag the way `Intl` does: every tag it accepts is
 * accepted (script, region, variants and `-u-` extensions such as
 * `-u-ca-islamic` or `-u-nu-latn` included) and returned in canonical form
 * (`EN-gb` → `en-GB`, `iw` → `he`). A calendar or numbering system Intl does
 * not know is refused too: Intl would silently fall back to the Gregorian
 * calendar or Latin digits.
 *
 * @param value The tag as written.
 */
export function readLanguageTag(value: string): LanguageTagResult {
  let tag: string;
  try {
    [tag = ''] = Intl.getCanonicalLocales(value.trim());
  } catch {
    return { ok: false, problem: `"${terminalSafe(value)}" is not a BCP 47 language tag; use one such as ${LANGUAGE_TAG_EXAMPLES}${hint(value)}` };
  }
  const locale = new Intl.Locale(tag);
  for (const { key, kind, name, examples, supported } of CHECKED_KEYWORDS) {
    const chosen = locale[kind];
    if (chosen && !(supported() as readonly string[]).includes(chosen)) {
      return { ok: false, problem: `"${terminalSafe(value)}": Intl knows no ${name} "${chosen}"; after -u-${key}- use one such as ${examples}` };
    }
  }
  return { ok: true, tag };
}

/** A guess at the tag meant, for the common slips: `en-USA`, `ar_EG`. */
function hint(value: string): string {
  const guess = value.trim().replace(/_/g, '-').replace(/^([a-z]{2,3})-([a-z]{2})[a-z]$/i, '$1-$2');
  if (guess === value.trim()) return '';
  try {
    return ` (did you mean "${Intl.getCanonicalLocales(guess)[0]}"?)`;
  } catch {
    return '';
  }
}

/** A zod schema for a language tag: validated as {@link readLanguageTag} does, output canonical. */
export const languageTag = z.string({ error: `expected a language tag such as ${LANGUAGE_TAG_EXAMPLES}` }).transform((value, context) => {
  const result = readLanguageTag(value);
  if (result.ok) return result.tag;
  context.addIssue({ code: 'custom', message: result.problem });
  return z.NEVER;
});
