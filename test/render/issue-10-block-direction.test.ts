import type { Element } from 'hast';
import { describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/pipeline/build.js';
import { byClass, findAll, parseHtml, textOf } from '../helpers/html.js';
import { makeSite } from '../helpers/site.js';

/** A site whose name and address are in `site.lang`, with one post in each of `posts`. */
async function buildSite(site: { lang: string; title: string; address: string }, posts: Record<string, string>): Promise<BuildResult> {
  const files: Record<string, string> = {
    'sahifa.config.json': JSON.stringify({
      title: site.title,
      url: 'https://example.org/',
      lang: site.lang,
      subscribe: { action: 'https://example.org/subscribe' },
      email: { address: site.address },
    }),
  };
  for (const [slug, lang] of Object.entries(posts)) files[`posts/${slug}.md`] = `---\ntitle: "Title ${slug}"\ndate: 2025-01-01\nlang: ${lang}\n---\n\nText.\n`;
  return build({ root: await makeSite(files), write: false, now: new Date('2026-01-01T00:00:00Z') });
}

/** The innermost block with `dir` that holds `text` (its first, in document order), and the direction and alignment it declares. */
function blockOf(html: string, text: string): { dir: unknown; align: string | undefined } {
  const holders = findAll(parseHtml(html), (node: Element) => BLOCKS.has(node.tagName) && node.properties.dir !== undefined && textOf(node).includes(text));
  const block = holders.find((node) => !holders.some((other) => other !== node && findAll(node, (inner) => inner === other).length > 0));
  expect(block, text).toBeDefined();
  return { dir: block!.properties.dir, align: /text-align:(\w+)/.exec(String(block!.properties.style ?? ''))?.[1] };
}

const BLOCKS = new Set(['p', 'h1', 'h2', 'div', 'td']);

const ARABIC_SITE = { lang: 'ar', title: 'موقع تجاربنا', address: 'ص.ب. 12345، الرياض' };

describe('issue 10: each template block takes the direction of its own text', () => {
  it('lays out the Arabic site name and address right to left in an English post\'s email, the English blocks left to right', async () => {
    const result = await buildSite(ARABIC_SITE, { english: 'en' });
    const html = result.emails.get('english')!.html;
    expect(blockOf(html, 'موقع تجاربنا')).toEqual({ dir: 'rtl', align: 'right' });
    expect(blockOf(html, 'ص.ب. 12345، الرياض')).toEqual({ dir: 'rtl', align: 'right' });
    expect(blockOf(html, 'You can share this story')).toEqual({ dir: 'ltr', align: 'left' });
    expect(blockOf(html, 'Subscribe to get')).toEqual({ dir: 'ltr', align: 'left' });
    expect(blockOf(html, 'Unsubscribe')).toEqual({ dir: 'ltr', align: 'left' });
    // The Arabic name inside an English sentence is isolated in the sentence's direction.
    expect(html).toMatch(/Discover more from <span dir="rtl">موقع تجاربنا<\/span>/);
  });

  it('does the same on the English post\'s page: header and footer right to left, share and subscribe left to right', async () => {
    const result = await buildSite(ARABIC_SITE, { english: 'en' });
    const page = parseHtml(String(result.files.get('blog/english/index.html')));
    const dirOf = (className: string) => {
      const [node] = byClass(page, className);
      return [node?.properties.dir, node?.properties.lang];
    };
    expect(dirOf('site-header')).toEqual(['rtl', 'ar']);
    expect(dirOf('site-footer')).toEqual(['rtl', 'ar']);
    expect(dirOf('share')).toEqual(['ltr', 'en']);
    expect(dirOf('subscribe')).toEqual(['ltr', 'en']);
    expect(findAll(page, (node) => node.tagName === 'html')[0]?.properties.dir).toBe('ltr');
  });

  it('turns the other way for an Arabic post on an English site, and gives strings without a table of their own their language\'s direction', async () => {
    const result = await buildSite({ lang: 'en', title: 'Field Notes', address: 'PO Box 7, Leeds' }, { arabic: 'ar', german: 'de' });
    const arabic = result.emails.get('arabic')!.html;
    expect(blockOf(arabic, 'Field Notes')).toEqual({ dir: 'ltr', align: 'left' });
    expect(blockOf(arabic, 'PO Box 7, Leeds')).toEqual({ dir: 'ltr', align: 'left' });
    expect(blockOf(arabic, 'يمكنك مشاركة')).toEqual({ dir: 'rtl', align: 'right' });
    // German has no table: the site's English strings are used, left to right, with lang="en".
    const german = parseHtml(String(result.files.get('blog/german/index.html')));
    expect(byClass(german, 'share')[0]?.properties).toMatchObject({ dir: 'ltr', lang: 'en' });
    const arabicSiteGerman = await buildSite(ARABIC_SITE, { german: 'de' });
    const page = parseHtml(String(arabicSiteGerman.files.get('blog/german/index.html')));
    expect(byClass(page, 'share')[0]?.properties).toMatchObject({ dir: 'rtl', lang: 'ar' });
    expect(blockOf(arabicSiteGerman.emails.get('german')!.html, 'يمكنك مشاركة')).toEqual({ dir: 'rtl', align: 'right' });
  });

  it('keeps an address with no letters in the site\'s direction', async () => {
    const result = await buildSite({ ...ARABIC_SITE, address: '12345 - 11564' }, { english: 'en' });
    expect(blockOf(result.emails.get('english')!.html, '12345 - 11564')).toEqual({ dir: 'rtl', align: 'right' });
  });
});
