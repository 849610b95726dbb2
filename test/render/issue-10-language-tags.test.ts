import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { directionOf } from '../../src/config/direction.js';
import { readLanguageTag } from '../../src/config/language-tag.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { findAll, parseHtml, textOf } from '../helpers/html.js';
import { makeSite } from '../helpers/site.js';

const configWith = (extra: Record<string, unknown>) =>
  JSON.stringify({ title: 'موقع', url: 'https://example.org/', timeZone: 'Asia/Riyadh', subscribe: { action: 'https://example.org/subscribe' }, ...extra }, null, 2);

const POST = '---\ntitle: "عنوان"\ndate: 2026-11-24\n---\n\nنص.\n';

/** The formatted error lines of a failing build. */
async function failure(root: string): Promise<string[]> {
  try {
    await build({ root, write: false });
  } catch (error) {
    if (error instanceof BuildFailure) return error.messages.filter((message) => message.fatal).map((message) => formatMessage(message, { cwd: root }));
    throw error;
  }
  throw new Error('the build passed');
}

/** The text of the first `<time>` on a built page. */
async function dateOn(files: Record<string, string>, path: string): Promise<{ lang: string; date: string }> {
  const result = await build({ root: await makeSite(files), write: false, now: new Date('2027-01-01T00:00:00Z') });
  const tree = parseHtml(String(result.files.get(path)));
  const html = findAll(tree, (node) => node.tagName === 'html')[0];
  return { lang: String(html?.properties.lang), date: textOf(findAll(tree, (node) => node.tagName === 'time')[0]!) };
}

describe('issue 10: every BCP 47 tag Intl accepts is a language, in the config and in front matter', () => {
  it('shows Hijri dates for ar-SA-u-ca-islamic-umalqura, with the site\'s numerals', async () => {
    const page = await dateOn({ 'sahifa.config.json': configWith({ lang: 'ar-SA-u-ca-islamic-umalqura', numerals: 'latn' }), 'posts/p.md': POST }, 'blog/p/index.html');
    expect(page).toEqual({ lang: 'ar-SA-u-ca-islamic-umalqura', date: '14 جمادى الآخرة 1448 هـ' });
  });

  it('accepts ar-u-ca-islamic and a numbering system in front matter, and writes the tag in canonical form', async () => {
    const post = '---\ntitle: "عنوان"\ndate: 2026-11-24\nlang: AR-u-ca-islamic-nu-arab\n---\n\nنص.\n';
    const page = await dateOn({ 'sahifa.config.json': configWith({ lang: 'en', numerals: 'latn' }), 'posts/p.md': post }, 'blog/p/index.html');
    expect(page).toEqual({ lang: 'ar-u-ca-islamic-nu-arab', date: '١٥ جمادى الآخرة ١٤٤٨ هـ' });
  });

  it.each([
    ['en-USA', '"en-USA" is not a BCP 47 language tag; use one such as "ar", "en-GB" or "ar-SA-u-ca-islamic-umalqura" (did you mean "en-US"?)'],
    ['ar_EG', '"ar_EG" is not a BCP 47 language tag; use one such as "ar", "en-GB" or "ar-SA-u-ca-islamic-umalqura" (did you mean "ar-EG"?)'],
    ['not a lang', '"not a lang" is not a BCP 47 language tag; use one such as "ar", "en-GB" or "ar-SA-u-ca-islamic-umalqura"'],
    ['ar-u-ca-hijri', '"ar-u-ca-hijri": Intl knows no calendar "hijri"; after -u-ca- use one such as islamic-umalqura, islamic, islamic-civil, persian, hebrew or gregory'],
    ['ar-u-nu-roman', '"ar-u-nu-roman": Intl knows no numbering system "roman"; after -u-nu- use one such as latn, arab or arabext'],
  ])('refuses lang %j in the config and in front matter, naming the key', async (tag, reason) => {
    const inConfig = await makeSite({ 'sahifa.config.json': configWith({ lang: tag }), 'posts/p.md': POST });
    expect(await failure(inConfig)).toEqual([`sahifa.config.json:8:11: error \`lang\`: ${reason} [config-invalid]`]);
    const inPost = await makeSite({ 'sahifa.config.json': configWith({}), 'posts/p.md': `---\ntitle: "عنوان"\ndate: 2026-11-24\nlang: ${JSON.stringify(tag)}\n---\n\nنص.\n` });
    expect(await failure(inPost)).toEqual([`posts/p.md:4:7: error \`lang\`: ${reason} [front-matter-invalid]`]);
  });

  it('refuses what is not text', async () => {
    const root = await makeSite({ 'sahifa.config.json': configWith({ lang: 7 }), 'posts/p.md': POST });
    expect(await failure(root)).toEqual(['sahifa.config.json:8:11: error `lang`: expected a language tag such as "ar", "en-GB" or "ar-SA-u-ca-islamic-umalqura" [config-invalid]']);
  });

  it('takes the direction from the script: az-Arab and ug are right to left, ar-Latn is not', () => {
    expect(['ar', 'ar-SA-u-ca-islamic-umalqura', 'az-Arab', 'ug', 'he', 'iw', 'fa-IR', 'ckb', 'pa-Arab'].map(directionOf)).toEqual(Array(9).fill('rtl'));
    expect(['ar-Latn', 'en-GB', 'tr', 'zh-Hant-TW', 'und'].map(directionOf)).toEqual(Array(5).fill('ltr'));
    expect(readLanguageTag('iw')).toEqual({ ok: true, tag: 'he' });
  });
});
