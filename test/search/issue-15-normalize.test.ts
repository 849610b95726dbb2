import { describe, expect, it } from 'vitest';
import { indexOnlyForms, normalizeSearchText, SEARCH_NORMALIZATION } from '../../src/search/normalize.js';

describe('issue 15: the search normaliser\'s table', () => {
  it.each([
    ['alef with hamza above', 'أحمد', 'احمد'],
    ['alef with hamza below', 'إسلام', 'اسلام'],
    ['alef with madda', 'آثار', 'اثار'],
    ['alef wasla', 'ٱلله', 'الله'],
    ['hamza on waw', 'سؤال', 'سوال'],
    ['hamza on yaa', 'مسئول', 'مسيول'],
    ['taa marbuta', 'مدرسة', 'مدرسه'],
    ['alef maqsura', 'مصطفى', 'مصطفي'],
    ['tashkeel', 'العِلْمُ نُورٌ', 'العلم نور'],
    ['shadda and tanwin', 'أكَّدَ جدًّا', 'اكد جدا'],
    ['superscript alef', 'هٰذا', 'هذا'],
    ['tatweel', 'جمـــيل', 'جميل'],
    ['Persian yeh', 'یادگیری', 'يادگيري'],
    ['Persian keheh', 'کتاب', 'كتاب'],
    ['Persian heh with yeh (ۀ) and heh with hamza (هٔ)', 'خانۀ کتابخانهٔ', 'خانه كتابخانه'],
    ['Urdu heh goal', 'کہانی', 'كهاني'],
    ['Arabic-Indic digits', '٢٠٢٥', '2025'],
    ['Persian digits', '۱۴۰۳', '1403'],
    ['presentation forms (lam-alef ligature, isolated forms)', 'ﻻ ﺑﺎب', 'لا باب'],
    ['direction marks and joiners', 'a\u200Fب\u200Dج\u2067د\u2069', 'aبجد'],
    ['the zero-width non-joiner is kept (Pagefind indexes it)', 'می\u200Cنویسم', 'مي\u200Cنويسم'],
    ['Latin text is left as it is', 'Talks in Istanbul', 'Talks in Istanbul'],
  ])('%s: %s → %s', (_why, text, normalized) => {
    expect(normalizeSearchText(text)).toBe(normalized);
  });

  it('is idempotent, so the query and the index meet whichever side was normalised first', () => {
    const text = 'أكَّدَ أحمدُ أنَّ الآثارَ في کتابخانهٔ جمـــيلة ٢٠٢٥ ﻻ';
    expect(normalizeSearchText(normalizeSearchText(text))).toBe(normalizeSearchText(text));
  });

  it('is written into the search page as JSON: every rule compiles in a browser\'s RegExp with the u flag', () => {
    const table: typeof SEARCH_NORMALIZATION = JSON.parse(JSON.stringify(SEARCH_NORMALIZATION));
    for (const rule of table) expect(() => new RegExp(rule.pattern, 'gu')).not.toThrow();
    // Applying the JSON copy as search.js does gives what the build gives.
    const apply = (text: string) => table.reduce((result, rule) => result.replace(new RegExp(rule.pattern, 'gu'), rule.replacement), text.normalize('NFKC'));
    expect(apply('المَدْرَسَةُ في کتابخانه ١٢')).toBe(normalizeSearchText('المَدْرَسَةُ في کتابخانه ١٢'));
  });

  it('adds, for the index only, words without the article and the parts of words joined by a non-joiner', () => {
    expect(indexOnlyForms(normalizeSearchText('المدرسة والكتاب بالقلم فالبيت كالبحر للطلاب ال'))).toEqual(['مدرسه', 'كتاب', 'قلم', 'بيت', 'بحر', 'طلاب']);
    expect(indexOnlyForms(normalizeSearchText('می‌نویسم'))).toEqual(['مينويسم', 'مي', 'نويسم']);
    expect(indexOnlyForms('Talks in Istanbul')).toEqual([]);
  });
});
