import { cp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import mjml2html from 'mjml';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { MJML_OPTIONS, splicingCompiler, splitMjml } from '../../src/render/email/splice-mjml.js';
import { copyFixture, FIXTURES, makeSite, REPO } from '../helpers/site.js';

const EMAIL_CONFIG = JSON.stringify({
  title: 'موقع "تجاربنا" & co',
  url: 'https://example.org/',
  lang: 'ar',
  numerals: 'latn',
  subscribe: { action: 'https://example.org/subscribe' },
  email: { address: 'ص.ب. 12345، الرياض', subscribeUrl: 'https://example.org/subscribe?a=1&b=2' },
});

const post = (title: string, body: string, extra = '') => `---\ntitle: ${JSON.stringify(title)}\ndate: 2025-01-01\n${extra}---\n\n${body}\n`;

/** Bodies and titles chosen to land where the splice could go wrong. */
const HOSTILE: Record<string, string> = {
  'posts/marker.md': post('\uE0000\uE001 عنوان', 'نص فيه \uE0000\uE001 وعلامة \uE001 أخرى.'),
  'posts/closing-tag.md': post('</mj-text></mj-title>', 'قبل `</mj-text>` وبعد </mj-text> و </mj-column></mj-section>.\n\n```html\n</mj-text><mj-raw>\n```'),
  'posts/cdata.md': post('<![CDATA[x]]>', 'نص <![CDATA[ داخل ]]> و `<![CDATA[x]]>`.\n\n```\n<![CDATA[\n]]>\n```'),
  'posts/comments.md': post('<!-- تعليق -->', 'قبل <!-- تعليق --> بعد و `<!--[if mso | IE]><table><![endif]-->`.\n\n```\n<![endif]-->\n<!--[if mso | IE]>\n```\n\n<!-- comment block -->'),
  'posts/quotes.md': post('"quoted" & \'apos\' <b>', '> اقتباس "مزدوج" & <b>غامق</b>\n\n| أ | ب |\n|---|---|\n| 1 | <td> |', 'description: "وصف فيه & و < و \\""\nauthor: "x\\" y"\n'),
  'posts/whitespace.md': post('  spaces  ', '\u00a0\u2028 نص محاط بمسافات غريبة \u00a0'),
  'posts/english.md': post('English only', 'Plain English text.\n\n---\n\nAfter a rule.', 'lang: en\n'),
};

async function emailsOf(root: string): Promise<Array<{ name: string; mjml: string; html: string }>> {
  const { files } = await build({ root, write: false });
  const names = [...files.keys()].filter((path) => path.startsWith('email/') && path.endsWith('.mjml')).sort();
  return names.map((name) => ({ name, mjml: String(files.get(name)), html: String(files.get(name.replace(/\.mjml$/, '.html'))) }));
}

describe('issue 13: the email layout is compiled once and each post spliced in', () => {
  const emails: Array<{ name: string; mjml: string; html: string }> = [];

  beforeAll(async () => {
    const markdown = await makeSite({ 'sahifa.config.json': EMAIL_CONFIG, ...HOSTILE });
    for (const fixture of await readdir(join(FIXTURES, 'markdown'))) {
      await cp(join(FIXTURES, 'markdown', fixture, 'input.md'), join(markdown, 'posts', `${fixture}.md`));
    }
    for (const root of [REPO, await copyFixture('email-site'), markdown]) emails.push(...(await emailsOf(root)));
  });

  it('writes, for every post of the fixtures and every hostile post, exactly the HTML mjml gives for the whole document', async () => {
    expect(emails.length).toBeGreaterThanOrEqual(16);
    for (const { name, mjml, html } of emails) {
      const whole = (await mjml2html(mjml, MJML_OPTIONS)).html;
      expect(html, name).toBe(whole);
    }
  });

  it('compiles each layout once: posts of the same shape share one mjml call', async () => {
    let calls = 0;
    const compile = splicingCompiler(async (mjml, options) => {
      calls += 1;
      return mjml2html(mjml, options);
    });
    const spliced = emails.filter(({ mjml }) => splitMjml(mjml));
    expect(spliced.length).toBeGreaterThan(emails.length / 2);
    for (const { name, mjml, html } of emails) expect(await compile(mjml), name).toBe(html);
    const whole = emails.length - spliced.length;
    const layouts = new Set(spliced.map(({ mjml }) => splitMjml(mjml)?.skeleton)).size;
    expect(layouts).toBeLessThan(spliced.length);
    expect(calls).toBe(whole + layouts);
  });

  it('compiles whole any document whose parts mjml could rewrite', async () => {
    const doc = (text: string, head = '') =>
      `<mjml><mj-head><mj-title>t</mj-title>${head}</mj-head><mj-body><mj-section><mj-column><mj-text>${text}</mj-text><mj-button href="https://e.org/?a=1&amp;b=2">b</mj-button></mj-column></mj-section></mj-body></mjml>`;
    const cases = [
      doc('<p>x<![endif]--></p>'),
      doc('<!--[if mso | IE]><p>x</p><![endif]-->'),
      doc('<p>\uE0000\uE001</p>'),
      doc('<p class="red">x</p>', '<mj-style inline="inline">.red { color: red; }</mj-style>'),
      doc('<p class="red">x</p>', '<mj-html-attributes><mj-selector path=".red"><mj-html-attribute name="data-x">1</mj-html-attribute></mj-selector></mj-html-attributes>'),
    ];
    for (const mjml of cases) expect(splitMjml(mjml), mjml).toBeUndefined();
    const compile = splicingCompiler((mjml, options) => mjml2html(mjml, options));
    for (const mjml of [...cases, doc('<p>a &amp; "b"</p>'), doc('<p>  x  </p>'), doc('')]) {
      expect(await compile(mjml), mjml).toBe((await mjml2html(mjml, MJML_OPTIONS)).html);
    }
  });

  it('reports invalid MJML as a full compile does', async () => {
    const compile = splicingCompiler((mjml, options) => mjml2html(mjml, options));
    const bad = '<mjml><mj-body><mj-section><mj-column><mj-text bogus="1">x</mj-text></mj-column></mj-section></mj-body></mjml>';
    await expect(compile(bad)).rejects.toBeTruthy();
    await expect(mjml2html(bad, MJML_OPTIONS)).rejects.toBeTruthy();
  });
});
