import type { SiteConfig } from '../config/schema.js';
import type { LocaleStrings } from '../config/locales.js';
import { fill } from '../config/locales.js';

/** Site settings that decide how dates and numbers are written. */
export type NumberSettings = Pick<SiteConfig, 'numerals' | 'timeZone'>;

/**
 * The locale to hand to Intl: the language, with the site's numbering
 * system unless the tag chose its own (`ar-u-nu-arab` keeps Arabic-Indic
 * digits on a `latn` site). Extensions already in the tag (a calendar) stay.
 */
function intlLocale(lang: string, settings: NumberSettings): string {
  const locale = new Intl.Locale(lang);
  return settings.numerals && !locale.numberingSystem ? new Intl.Locale(lang, { numberingSystem: settings.numerals }).toString() : lang;
}

/** Formatters by locale and zone: making one costs far more than using it. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A date written the way readers of `lang` write it: Arabic, Persian and
 * Hebrew month names, the calendar the tag asks for (`-u-ca-islamic-umalqura`
 * gives Hijri dates) and, when the site asks, its digits. The day is the one
 * in the site's time zone.
 *
 * @param date     The date.
 * @param lang     BCP 47 tag of the text it goes into.
 * @param settings The site's numerals and time zone.
 */
export function formatDate(date: Date, lang: string, settings: NumberSettings): string {
  const locale = intlLocale(lang, settings);
  const key = `${locale}|${settings.timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: settings.timeZone });
    dateFormats.set(key, format);
  }
  return format.format(date);
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
