import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { CONFIG_JSON, GOOD_POST, makeSite } from '../helpers/site.js';

const ABOUT = `---
title: "من نحن"
description: "صحيفة صغيرة تكتب بالعربية."
date: 2024-05-01
---

نكتب هنا منذ 2019 عن RT World News وغيرها.

![خريطة](assets/map.png)
`;

const CONTACT_EN = `---
title: Contact
lang: en
---

Write to us at the address below.
`;

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** The test config with a `nav` and an email section, as JSON text. */
function configWith(nav: unknown[]): string {
  return JSON.stringify({ ...JSON.parse(CONFIG_JSON), nav, email: { address: 'ص.ب. 1، الرياض' } }, null, 2);
}

async function site(files: Record<string, string>, nav: unknown[] = [{ page: 'about' }, { title: 'اتصل بنا', page: 'contact' }, { title: 'RSS', href: 'https://example.org/feed.xml' }]) {
  const root = await makeSite({ 'sahifa.config.json': configWith(nav), 'posts/good.md': GOOD_POST, ...files });
  return root;
}

async function failure(root: string): Promise<string> {
  const error = await build({ root, write: false }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(BuildFailure);
  return (error as BuildFailure).messages.map((message) => formatMessage(message, { cwd: root })).join('\n');
}

describe('issue 12: pages/', () => {
  it('a page is in the output at /<slug>/, right to left, with the nav; not in lists, feeds, tags or emails', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    const root = await site({ 'pages/about.md': ABOUT, 'pages/contact.md': CONTACT_EN, 'pages/_notes.md': 'not a page' });
    await mkdir(join(root, 'pages', 'assets'));
    await writeFile(join(root, 'pages', 'assets', 'map.png'), PNG);
    const result = await build({ root });
    const blog = join(root, 'dist', 'blog');
    expect(result.sitePages.map((page) => page.slug)).toEqual(['about', 'contact']);

    const about = await readFile(join(blog, 'about', 'index.html'), 'utf8');
    expect(about).toContain('<html lang="ar" dir="rtl">');
    expect(about).toContain('<h1 class="post-title" data-pagefind-meta="title">من نحن</h1>');
    expect(about).toContain('<bdi>RT World News</bdi>');
    expect(about).toContain('<link rel="canonical" href="https://example.org/about/">');
    expect(about).toContain('"@type":"WebPage"');
    expect(about).not.toContain('<time');
    expect(about).not.toContain('class="share');
    // The image, under media/pages/, with its size.
    expect(about).toMatch(/<img src="\.\.\/media\/pages\/assets\/map\.[0-9a-f]{8}-1\.png" alt="خريطة"[^>]*width="1" height="1"/);
    expect([...result.files.keys()].some((path) => /^blog\/media\/pages\/assets\/map\.[0-9a-f]{8}-1\.png$/.test(path))).toBe(true);
    // The nav: the page itself is current; the others are plain links.
    expect(about).toContain('<li><a href="../about/" aria-current="page">من نحن</a></li>');
    expect(about).toContain('<li><a href="../contact/">اتصل بنا</a></li>');
    expect(about).toContain('<li><a href="https://example.org/feed.xml"><bdi>RSS</bdi></a></li>');

    const contact = await readFile(join(blog, 'contact', 'index.html'), 'utf8');
    expect(contact).toContain('<html lang="en" dir="ltr">');
    expect(contact).toContain('<a href="../contact/" aria-current="page">');

    // The nav is on every page: home, post, tags, 404 (absolute there).
    expect(await readFile(join(blog, 'index.html'), 'utf8')).toContain('<li><a href="about/">من نحن</a></li>');
    expect(await readFile(join(blog, 'good', 'index.html'), 'utf8')).toContain('<li><a href="../about/">من نحن</a></li>');
    expect(await readFile(join(blog, '404.html'), 'utf8')).toContain('<li><a href="https://example.org/about/">من نحن</a></li>');

    // Left out of the lists, the feeds and the emails; in the sitemap with its date.
    const withoutNav = (html: string) => html.replace(/<nav class="site-nav"[\s\S]*?<\/nav>/, '');
    expect(withoutNav(await readFile(join(blog, 'index.html'), 'utf8'))).not.toMatch(/about|contact|من نحن/);
    for (const feed of ['feed.xml', 'rss.xml', 'feed.json']) expect(await readFile(join(blog, feed), 'utf8')).not.toMatch(/about|contact|من نحن/);
    expect([...result.emails.keys()]).toEqual(['good']);
    expect([...result.files.keys()].filter((path) => path.startsWith('email/') && /about|contact/.test(path))).toEqual([]);
    const map = await readFile(join(blog, 'sitemap.xml'), 'utf8');
    expect(map).toMatch(/<loc>https:\/\/example\.org\/about\/<\/loc>\s*<lastmod>2024-05-01<\/lastmod>/);
    expect(map).toContain('<loc>https://example.org/contact/</loc>');
    expect(result.posts.map((post) => post.slug)).toEqual(['good']);
    // The link check saw the nav links and found them all.
    expect(result.warnings.filter((message) => message.ruleId === 'broken-link')).toEqual([]);
  });

  it('a page and a post with one slug (any case) are both named; a reserved slug is refused', async () => {
    const shared = await site({ 'pages/Good.md': '---\ntitle: x\n---\n\nنص.\n' }, []);
    expect(await failure(shared)).toBe('pages/Good.md:1:1: error slug "good" is also used by posts/good.md: give one of them another `slug:` [slug-duplicate]');
    const reserved = await site({ 'pages/x.md': '---\ntitle: x\nslug: tags\n---\n\nنص.\n' }, []);
    expect(await failure(reserved)).toMatch(/^pages\/x\.md:3:7: error unsafe `slug` "tags": .* \[slug-unsafe\]$/);
    const escaping = await site({ 'pages/x.md': '---\ntitle: x\nslug: ../../etc\n---\n\nنص.\n' }, []);
    expect(await failure(escaping)).toMatch(/^pages\/x\.md:3:7: error unsafe `slug` "\.\.\/\.\.\/etc": .* \[slug-unsafe\]$/);
  });

  it('a page needs no date, but a wrong one, a missing title or a stray field is reported at its line', async () => {
    const root = await site({ 'pages/about.md': '---\ndate: 2024-02-30\nauthor: me\n---\n\nنص.\n' }, []);
    const messages = await failure(root);
    expect(messages).toContain('pages/about.md:2:7: error `date`: this date does not exist on the calendar [front-matter-invalid]');
    expect(messages).toContain('pages/about.md:2:1: error missing `title` in front matter: add `title: …` [front-matter-missing-field]');
    expect(messages).toContain('pages/about.md:3:9: warning unknown front-matter field `author` is ignored');
  });

  it('a draft page is left out unless drafts are asked for, and a nav entry naming it then fails', async () => {
    const draft = '---\ntitle: قريبا\ndraft: true\n---\n\nنص.\n';
    const plain = await site({ 'pages/soon.md': draft }, []);
    expect((await build({ root: plain, write: false })).files.has('blog/soon/index.html')).toBe(false);
    expect((await build({ root: plain, write: false, drafts: true })).files.has('blog/soon/index.html')).toBe(true);
    const linked = await site({ 'pages/soon.md': draft }, [{ page: 'soon' }]);
    expect(await failure(linked)).toMatch(/^sahifa\.config\.json:\d+:\d+: error `nav\[0\]\.page`: no page "soon" in pages\/ \(pages of this build: none\); .* \[nav-page-missing\]$/);
  });

  it('nav entries are checked: unknown pages at their place, unsafe addresses refused', async () => {
    const root = await site({ 'pages/about.md': ABOUT.replace('\n![خريطة](assets/map.png)\n', '') }, [{ page: 'about' }, { page: 'abuot' }]);
    expect(await failure(root)).toMatch(/^sahifa\.config\.json:\d+:\d+: error `nav\[1\]\.page`: no page "abuot" in pages\/ \(pages of this build: about\)/);
    for (const href of ['javascript:alert(1)', '//evil.example/', 'about/']) {
      const bad = await site({}, [{ title: 'x', href }]);
      expect(await failure(bad)).toMatch(/^sahifa\.config\.json:\d+:\d+: error `nav\.0/);
    }
  });

  it('a site without pages/ builds as before, with no nav', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD_POST });
    const result = await build({ root, write: false });
    expect(result.sitePages).toEqual([]);
    expect(String(result.files.get('blog/index.html'))).not.toContain('site-nav');
  });
});

describe('issue 9: a page is held to the same limits as a post', () => {
  it('refuses a page that nests too deeply, at its place, instead of crashing', async () => {
    const deep = `---\ntitle: عميق\n---\n\n${'> '.repeat(1000)}نص\n`;
    const root = await site({ 'pages/about.md': ABOUT.replace('![خريطة](assets/map.png)', ''), 'pages/contact.md': CONTACT_EN, 'pages/deep.md': deep });
    expect(await failure(root)).toMatch(/^pages\/deep\.md:5:\d+: error the post nests more than 100 levels deep here/);
  });
});
