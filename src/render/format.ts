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
  return cached(locales, `${lang}|${settings.numerals ?? ''}`, () => {
    const locale = new Intl.Locale(lang);
    return settings.numerals && !locale.numberingSystem ? new Intl.Locale(lang, { numberingSystem: settings.numerals }).toString() : lang;
  });
}

/** The value under `key`, made once. Intl objects cost far more to make than to use, and a build asks per page. */
function cached<Value>(store: Map<string, Value>, key: string, make: () => Value): Value {
  let value = store.get(key);
  if (value === undefined) {
    value = make();
    store.set(key, value);
  }
  return value;
}

const locales = new Map<string, string>();
const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

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
  return cached(dateFormats, `${locale}|${settings.timeZone}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: settings.timeZone })).format(date);
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
  const form = cached(pluralRules, lang, () => new Intl.PluralRules(lang)).select(minutes);
  const template = strings.readingTime[form] ?? strings.readingTime.other;
  const locale = intlLocale(lang, settings);
  return fill(template, { n: cached(numberFormats, locale, () => new Intl.NumberFormat(locale)).format(minutes) });
}
