import { describe, expect, it } from 'vitest';
import { formatDate, formatReadingTime, type NumberSettings } from '../../src/render/format.js';

const strings = { readingTime: { one: '{n} min', other: '{n} mins', few: '{n} دقائق', many: '{n} دقيقة', two: 'دقيقتان', zero: '{n}' } };
const moment = new Date('2025-03-01T22:30:00Z');

describe('issue 13: formatters are made once and reused, keyed by everything that changes them', () => {
  it('gives what a fresh Intl.DateTimeFormat gives, whatever was formatted before', () => {
    const cases: Array<[string, NumberSettings]> = [
      ['ar', { numerals: 'latn', timeZone: 'UTC' }],
      ['ar', { numerals: 'arab', timeZone: 'UTC' }],
      ['ar', { numerals: 'latn', timeZone: 'Asia/Riyadh' }],
      ['ar-u-nu-arab', { numerals: 'latn', timeZone: 'UTC' }],
      ['ar-SA-u-ca-islamic-umalqura', { numerals: 'latn', timeZone: 'UTC' }],
      ['en', { timeZone: 'UTC' }],
      ['fa', { timeZone: 'Asia/Tehran' }],
    ];
    // Twice round, so the second pass reads every formatter from the cache after the others were made.
    for (let pass = 0; pass < 2; pass += 1) {
      for (const [lang, settings] of cases) {
        const locale = settings.numerals && !new Intl.Locale(lang).numberingSystem ? new Intl.Locale(lang, { numberingSystem: settings.numerals }).toString() : lang;
        const fresh = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: settings.timeZone }).format(moment);
        expect(formatDate(moment, lang, settings), `${lang} ${JSON.stringify(settings)}`).toBe(fresh);
      }
    }
    expect(formatDate(moment, 'ar', { numerals: 'latn', timeZone: 'UTC' })).not.toBe(formatDate(moment, 'ar', { numerals: 'latn', timeZone: 'Asia/Riyadh' }));
  });

  it('keeps digits and plural forms per language and numbering system', () => {
    const latn = formatReadingTime(2200, 200, 'ar', strings, { numerals: 'latn', timeZone: 'UTC' });
    const arab = formatReadingTime(2200, 200, 'ar', strings, { numerals: 'arab', timeZone: 'UTC' });
    expect(latn).toBe('11 دقيقة');
    expect(arab).toBe('١١ دقيقة');
    expect(formatReadingTime(2200, 200, 'en', strings, { numerals: 'latn', timeZone: 'UTC' })).toBe('11 mins');
    expect(formatReadingTime(200, 200, 'en', strings, { numerals: 'latn', timeZone: 'UTC' })).toBe('1 min');
  });
});
