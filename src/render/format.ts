import type { SiteConfig } from '../config/schema.js';
import type { LocaleStrings } from '../config/locales.js';
import { fill } from '../config/locales.js';

/** Site settings that decide how dates and numbers are written. */
export type NumberSettings = Pick<SiteConfig, 'numerals' | 'timeZone'>;

/** The locale to hand to Intl: the language, with the site's numbering system if one is set. */
function intlLocale(lang: string, settings: NumberSettings): string {
  return settings.numerals ? `${lang}-u-nu-${settings.numerals}` : lang;
}

/**
 * A date written the way readers of `lang` write it: Arabic, Persian and
 * Hebrew month names and, when the site asks, their digits.
 *
 * @param date     The date.
 * @param lang     BCP 47 tag of the text it goes into.
 * @param settings The site's numerals and time zone.
 */
export function formatDate(date: Date, lang: string, settings: NumberSettings): string {
  return new Intl.DateTimeFormat(intlLocale(lang, settings), { dateStyle: 'long', timeZone: settings.timeZone }).format(date);
}

/**
 * "5 min read" in the reader's language, with the right plural form (Arabic
 * has six) and digits.
 *
 * @param words    Words in the text.
 * @param perMinute Reading speed.
 * @param lang     BCP 47 tag.
 * @param strings  The language's strings.
 * @param settings The site's numerals.
 */
export function formatReadingTime(
  words: number,
  perMinute: number,
  lang: string,
  strings: Pick<LocaleStrings, 'readingTime'>,
  settings: NumberSettings,
): string {
  const minutes = Math.max(1, Math.round(words / perMinute));
  const form = new Intl.PluralRules(lang).select(minutes);
  const template = strings.readingTime[form] ?? strings.readingTime.other;
  return fill(template, { n: new Intl.NumberFormat(intlLocale(lang, settings)).format(minutes) });
}
