import { caniemail, type CanIEmailOptions } from 'caniemail';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { findAll, htmlProblems, parseHtml } from '../helpers/html.js';
import { copyFixture, FIXTURES, REPO } from '../helpers/site.js';

const SLUG = 'russia-us-diplomatic-talks';

/** The clients the issue names: Gmail (desktop, iOS, Android), Apple Mail, Outlook (Windows, macOS, outlook.com) and Yahoo. */
const CLIENTS: CanIEmailOptions['clients'] = [
  'gmail.desktop-webmail',
  'gmail.ios',
  'gmail.android',
  'apple-mail.macos',
  'apple-mail.ios',
  'outlook.windows',
  'outlook.macos',
  'outlook.windows-mail',
  'yahoo.desktop-webmail',
];

/**
 * Features caniemail reports as unsupported in one of those clients, each
 * accepted for a reason. Everything here comes from MJML's own skeleton,
 * not from our templates.
 */
const ALLOWED_UNSUPPORTED: Record<string, string> = {
  'height property': 'MJML sets heights on spacer cells; Yahoo turns them into min-height, which looks the same there',
  'aria-label attribute': "mj-body's wrapper names the email for screen readers; clients that drop the label lose nothing else",
  'word-break': 'mj-text cells break long words where supported; elsewhere long URLs wrap as usual',
  'target attribute': 'mj-button links carry target=_blank; webmail opens links in a new tab anyway',
  transform: 'caniemail matches the `transform` in `text-transform:none` on mj-button links: a false positive',
  outline: "MJML's reset sets `outline:none` on images; Outlook has no outline to remove",
  '@media': 'MJML makes columns responsive with a media query; Outlook for Windows uses the fixed 600 px table instead',
  'Chaining selectors': "MJML's `.moz-text-html .mj-column-per-100` rule is for Thunderbird only",
  'word-spacing': "mj-body's `word-spacing:normal` reset; the default anyway",
  opacity: 'the hidden preheader uses opacity:0 along with display:none and max-height:0, which Outlook obeys',
  overflow: 'the hidden preheader uses overflow:hidden along with display:none',
  'border-radius': 'rounded buttons; Outlook for Windows draws square ones, still readable',
  'role attribute': 'role="presentation" on layout tables and role="article" on the wrapper; ignored where unsupported',
  '<body> element': 'Outlook for macOS and Gmail replace <body>: why direction and language are repeated on every block',
  cursor: 'mj-button sets cursor:auto; no visible effect anywhere',
};

describe('the newsletter email (issue 2)', () => {
  let result: BuildResult;
  let html: string;

  beforeAll(async () => {
    const out = await mkdtemp(join(tmpdir(), 'sahifa-email-unit-'));
    result = await build({ root: REPO, out });
    html = await readFile(join(out, 'email', `${SLUG}.html`), 'utf8');
  });

  it('writes the four email files for the sample post', async () => {
    const emailFiles = [...result.files.keys()].filter((path) => path.startsWith('email/')).sort();
    expect(emailFiles).toEqual(['json', 'html', 'mjml', 'txt'].map((extension) => `email/${SLUG}.${extension}`).sort());
    const meta = JSON.parse(String(result.files.get(`email/${SLUG}.json`))) as Record<string, unknown>;
    expect(meta).toEqual({
      subject: 'تعلق روسيا على أحدث المحادثات معنا – RT World News',
      preheader: 'التطبيع الدبلوماسي هو شارع ثنائي الاتجاه ، أكدت موسكو بعد اجتماع مع وفد من واشنطن',
      url: `https://example.org/${SLUG}/`,
      htmlBytes: Buffer.byteLength(html),
      textBytes: Buffer.byteLength(String(result.files.get(`email/${SLUG}.txt`))),
      lang: 'ar',
      dir: 'rtl',
      placeholders: { unsubscribeUrl: '[[unsubscribe_url]]', name: '[[name]]', email: '[[email]]' },
    });
  });

  it('stays under 30 KB of HTML, with no script, external CSS or web font', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(30 * 1024);
    expect(html).not.toMatch(/<script|<link|@import|@font-face|googleapis/i);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
  });

  it('writes dir and lang on the wrapper and dir with direction and alignment on every block', () => {
    const tree = parseHtml(html);
    const [wrapper] = findAll(tree, (element) => element.properties.role === 'article');
    expect(wrapper?.properties).toMatchObject({ lang: 'ar', dir: 'rtl' });
    const blocks = findAll(tree, (element) => ['p', 'h1', 'h2', 'li', 'blockquote', 'ul', 'ol'].includes(element.tagName) && String(element.properties.style ?? '').indexOf('border-top') === -1);
    expect(blocks.length).toBeGreaterThan(12);
    for (const block of blocks) {
      expect(block.properties.dir, block.tagName).toBe('rtl');
      expect(String(block.properties.style)).toMatch(/direction:rtl;text-align:right/);
    }
    expect(html).toContain('<span dir="ltr">RT World News</span>');
    expect(html).not.toContain('<bdi>');
  });

  it('has the preheader, the read-on-the-web button, share links, subscribe footer and unsubscribe placeholder', () => {
    expect(html).toMatch(/<div style="display:none;[^"]*">التطبيع الدبلوماسي هو شارع ثنائي الاتجاه ، أكدت موسكو بعد اجتماع مع وفد من واشنطن(&#847;&zwnj;&nbsp;){80}<\/div>/);
    expect(html).toContain(`href="https://example.org/${SLUG}/"`);
    expect(html).toContain('اقرأ على الموقع');
    for (const host of ['x.com', 'facebook.com', 'wa.me', 't.me', 'linkedin.com', 'mailto:']) expect(html).toContain(host);
    expect(html).toContain('اكتشاف المزيد من موقع تجاربنا');
    expect(html).toContain('اشترك للحصول على أحدث التدوينات المرسلة إلى بريدك الإلكتروني.');
    expect(html).toContain('href="https://example.org/subscribe"');
    expect(html).toContain('href="[[unsubscribe_url]]"');
    expect(html).toContain('ص.ب. 12345');
  });

  it('writes a plain-text part from the tree with the footer and the unsubscribe placeholder', async () => {
    const text = String(result.files.get(`email/${SLUG}.txt`));
    const seed = (await readFile(join(FIXTURES, 'seed', 'article.txt'), 'utf8')).split('\n').map((line) => line.trim()).filter(Boolean);
    for (const paragraph of seed.slice(2, -3)) expect(text).toContain(`\n${paragraph}\n`);
    expect(text.startsWith(`${seed[0]}\n${seed[1]}\n`)).toBe(true);
    expect(text).toContain(`اقرأ على الموقع: https://example.org/${SLUG}/`);
    expect(text).toMatch(/-- \nتصلك هذه الرسالة لأنك اشتركت في نشرة موقع تجاربنا بالعنوان \[\[email\]\]\.\n.+\nإلغاء الاشتراك: \[\[unsubscribe_url\]\]\n$/);
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it('passes html-validate with the email rules', async () => {
    expect(await htmlProblems(html, `${SLUG}.html`, 'email')).toEqual([]);
  });

  it('uses no feature unsupported in Gmail, Apple Mail, Outlook or Yahoo outside the allowlist', () => {
    const report = caniemail({ clients: CLIENTS, html });
    const unsupported = new Set<string>();
    for (const issues of Object.values(report.issues.errors)) for (const issue of issues ?? []) unsupported.add(issue.title);
    expect([...unsupported].filter((title) => !(title in ALLOWED_UNSUPPORTED))).toEqual([]);
  });
});

describe('emails of the fixture site (issue 2)', () => {
  it('gives none to a post with newsletter: false, and maps images, tables, code and quotes to email blocks', async () => {
    const result = await build({ root: join(FIXTURES, 'email-site'), write: false });
    expect([...result.emails.keys()].sort()).toEqual(['english', 'mixed']);
    const mjml = result.emails.get('mixed')!.mjml;
    expect(mjml).toMatch(/<mj-image src="https:\/\/example\.org\/media\/images\/istanbul\.[0-9a-f]{8}-\d+\.png" alt="خريطة إسطنبول" width="\d+px" fluid-on-mobile="true" \/>/);
    expect(mjml).toMatch(/<mj-table>\s*<thead>/);
    expect(mjml).toContain('<mj-divider');
    expect(mjml).toContain('<div dir="ltr" style="margin:0 0 16px;padding:12px;');
    expect(mjml).toContain('const direction = \'rtl\';<br>if (direction) {<br>\u00a0\u00a0console.log(direction);<br>}');
    expect(mjml).toContain('href="https://example.com/statement"');
    const english = result.emails.get('english')!;
    expect(english.html).toMatch(/<html lang="en" dir="ltr"/);
    expect(english.meta).toMatchObject({ subject: 'Russia comments on latest talks', dir: 'ltr', lang: 'en' });
  });

  it('writes lists, links, quotes and code into the plain-text part', async () => {
    const result = await build({ root: join(FIXTURES, 'email-site'), write: false });
    const text = result.emails.get('mixed')!.text;
    const expectedPath = join(FIXTURES, 'email-site', 'expected-mixed.txt');
    if (process.env.UPDATE_FIXTURES) await writeFile(expectedPath, text);
    expect(text).toBe(await readFile(expectedPath, 'utf8'));
  });

  it('shows the front-matter cover at the top of the email, by absolute URL', async () => {
    const root = await copyFixture('email-site');
    const post = join(root, 'posts', 'english.md');
    await writeFile(post, (await readFile(post, 'utf8')).replace('lang: en', 'lang: en\nimage: images/istanbul.png'));
    const email = (await build({ root, write: false })).emails.get('english')!;
    expect(email.mjml).toMatch(/<mj-image src="https:\/\/example\.org\/media\/images\/istanbul\.[0-9a-f]{8}-\d+\.png" alt="" width="\d+px" fluid-on-mobile="true" \/>/);
  });

  it('uses the placeholders the site configures, for pasting into an ESP', async () => {
    const root = await copyFixture('email-site');
    const configPath = join(root, 'sahifa.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { email: Record<string, unknown> };
    config.email.placeholders = { unsubscribeUrl: '*|UNSUB|*', name: '*|FNAME|*', email: '*|EMAIL|*' };
    await writeFile(configPath, JSON.stringify(config));
    const result = await build({ root, write: false });
    const email = result.emails.get('mixed')!;
    expect(email.html).toContain('href="*|UNSUB|*"');
    expect(email.html).toContain('*|EMAIL|*');
    expect(email.text).toContain('*|UNSUB|*');
    expect(email.html).not.toContain('[[unsubscribe_url]]');
  });

  it('warns when the HTML passes the size limit, naming the figure', async () => {
    const root = await copyFixture('email-site');
    const configPath = join(root, 'sahifa.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { email: Record<string, unknown> };
    config.email.warnAtKb = 10;
    await writeFile(configPath, JSON.stringify(config));
    const result = await build({ root, write: false });
    const warnings = result.warnings.map((message) => formatMessage(message, { cwd: root }));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^posts\/english\.md: warning the email is \d+\.\d KB of HTML, over 10 KB: Gmail clips messages past about 102 KB; shorten the post or split it \[email-size\]$/);
  });

  it('fails the build naming the post and the template when the template makes invalid MJML', async () => {
    const root = await copyFixture('email-site');
    await mkdir(join(root, 'templates', 'email', 'partials'), { recursive: true });
    await writeFile(join(root, 'templates', 'email', 'partials', 'read-on-web.hbs'), '<mj-section><mj-text>خطأ</mj-text></mj-section>\n');
    const error = await build({ root, write: false }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BuildFailure);
    const messages = (error as BuildFailure).messages.filter((message) => message.fatal).map((message) => formatMessage(message, { cwd: root }));
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^posts\/english\.md: error the email template \(templates\/email\/email\.mjml\.hbs\) made invalid MJML for this post: .*mj-section.* \[email-mjml\]$/);
  });

  it('builds no email when the site has no email settings', async () => {
    const result = await build({ root: REPO, write: false });
    expect(result.emails.size).toBe(1);
    const root = await copyFixture('email-site');
    const configPath = join(root, 'sahifa.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { email?: unknown };
    delete config.email;
    await writeFile(configPath, JSON.stringify(config));
    const bare = await build({ root, write: false });
    expect(bare.emails.size).toBe(0);
    expect([...bare.files.keys()].some((path) => path.startsWith('email/'))).toBe(false);
  });
});
