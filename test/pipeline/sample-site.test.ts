import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/pipeline/build.js';
import { byClass, findAll, htmlProblems, parseHtml, textOf } from '../helpers/html.js';
import { FIXTURES, REPO } from '../helpers/site.js';

/** A copy of the article in shared/seed, as the user gave it. */
const SEED = join(FIXTURES, 'seed', 'article.txt');
const POST = 'blog/russia-us-diplomatic-talks/index.html';
const SHARE_SENTENCE = 'يمكنك مشاركة هذه القصة على وسائل التواصل الاجتماعي:';
const DISCOVER = 'اكتشاف المزيد من موقع تجاربنا';
const SUBSCRIBE = 'اشترك للحصول على أحدث التدوينات المرسلة إلى بريدك الإلكتروني.';

/** The seed article's lines: title, description, body paragraphs, then the three template lines. */
async function seedLines(): Promise<string[]> {
  return (await readFile(SEED, 'utf8')).split('\n').map((line) => line.trim()).filter(Boolean);
}

describe('the sample site (issue 1)', () => {
  let result: BuildResult;
  let page: string;

  beforeAll(async () => {
    const out = await mkdtemp(join(tmpdir(), 'sahifa-sample-'));
    result = await build({ root: REPO, out, now: new Date('2026-01-01T00:00:00Z') });
    page = await readFile(join(out, POST), 'utf8');
  });

  it('writes the post page, the index, tags, feeds, sitemap, 404 and the assets', () => {
    // The search index's file names carry hashes of their content (issue 15): its own test looks inside.
    expect(result.files.has('blog/pagefind/pagefind-entry.json')).toBe(true);
    expect([...result.files.keys()].filter((path) => !path.startsWith('blog/pagefind/')).sort()).toEqual([
      'blog/404.html',
      'blog/assets/fonts/noto-naskh-arabic-arabic-400-normal.woff2',
      'blog/assets/fonts/noto-naskh-arabic-arabic-700-normal.woff2',
      'blog/assets/fonts/noto-nastaliq-urdu-arabic-400-normal.woff2',
      'blog/assets/fonts/noto-nastaliq-urdu-arabic-700-normal.woff2',
      'blog/assets/fonts/noto-sans-hebrew-hebrew-400-normal.woff2',
      'blog/assets/fonts/noto-sans-hebrew-hebrew-700-normal.woff2',
      'blog/assets/fonts/vazirmatn-arabic-400-normal.woff2',
      'blog/assets/fonts/vazirmatn-arabic-700-normal.woff2',
      'blog/assets/search.js',
      'blog/assets/style.css',
      'blog/assets/subscribe.js',
      'blog/feed.json',
      'blog/feed.xml',
      'blog/index.html',
      'blog/robots.txt',
      'blog/rss.xml',
      POST,
      'blog/search/index.html',
      'blog/sitemap.xml',
      'blog/tags/index.html',
      'blog/tags/الولايات-المتحدة/index.html',
      'blog/tags/دبلوماسية/index.html',
      'blog/tags/روسيا/index.html',
      'email/russia-us-diplomatic-talks.html',
      'email/russia-us-diplomatic-talks.json',
      'email/russia-us-diplomatic-talks.mjml',
      'email/russia-us-diplomatic-talks.txt',
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('keeps every paragraph of the article intact, quotes included', async () => {
    const lines = await seedLines();
    const tree = parseHtml(page);
    const [body] = byClass(tree, 'post-body');
    const paragraphs = findAll(body!, (element) => element.tagName === 'p').map(textOf);
    expect(paragraphs).toEqual(lines.slice(2, -3));
    expect(paragraphs.join('\n')).toContain('“خطوات أولية ملموسة ،”');
    expect(textOf(byClass(tree, 'post-title')[0]!)).toBe(lines[0]);
    expect(textOf(byClass(tree, 'standfirst')[0]!)).toBe(lines[1]);
  });

  it('reads right to left, with Latin names isolated', () => {
    expect(page).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page).toContain('<h1 class="post-title" data-pagefind-meta="title">تعلق روسيا على أحدث المحادثات معنا – <bdi>RT World News</bdi></h1>');
    expect(page).toContain('<bdi>Türkiye</bdi>');
  });

  it('ends with the share line and the subscribe footer from the templates, not the post', () => {
    const tree = parseHtml(page);
    const [body] = byClass(tree, 'post-body');
    for (const line of [SHARE_SENTENCE, DISCOVER, SUBSCRIBE]) {
      expect(textOf(body!)).not.toContain(line);
      expect(page.split(line)).toHaveLength(2);
    }
    const links = findAll(byClass(tree, 'share')[0]!, (element) => element.tagName === 'a');
    expect(links.map((link) => String(link.properties.className))).toEqual(
      ['x', 'facebook', 'whatsapp', 'telegram', 'linkedin', 'email'].map((id) => `share-link,share-${id}`),
    );
    const canonical = encodeURIComponent('https://example.org/russia-us-diplomatic-talks/');
    for (const link of links) expect(String(link.properties.href)).toContain(canonical);
    expect(String(links[0]!.properties.href)).toContain(encodeURIComponent('تعلق روسيا'));
    const [form] = findAll(tree, (element) => element.tagName === 'form');
    expect(form!.properties).toMatchObject({ action: 'https://example.org/subscribe', method: 'post' });
    const [input] = findAll(form!, (element) => element.tagName === 'input');
    expect(input!.properties).toMatchObject({ type: 'email', name: 'email', id: 'subscribe-email', required: true });
    const [label] = findAll(form!, (element) => element.tagName === 'label');
    expect(label!.properties.htmlFor).toEqual(['subscribe-email']);
  });

  it('has the metadata a page needs: canonical, description, Open Graph, Twitter, JSON-LD, date', () => {
    const tree = parseHtml(page);
    const meta = (key: string) =>
      findAll(tree, (element) => element.tagName === 'meta' && (element.properties.name === key || element.properties.property === key))[0]?.properties.content;
    expect(findAll(tree, (element) => element.tagName === 'link' && String(element.properties.rel) === 'canonical')[0]?.properties.href).toBe(
      'https://example.org/russia-us-diplomatic-talks/',
    );
    expect(meta('description')).toBe('التطبيع الدبلوماسي هو شارع ثنائي الاتجاه ، أكدت موسكو بعد اجتماع مع وفد من واشنطن');
    expect(meta('og:type')).toBe('article');
    expect(meta('og:url')).toBe('https://example.org/russia-us-diplomatic-talks/');
    expect(meta('twitter:card')).toBe('summary');
    const script = findAll(tree, (element) => element.tagName === 'script')[0]!;
    const jsonLd = JSON.parse(textOf(script)) as Record<string, unknown>;
    expect(jsonLd).toMatchObject({ '@type': 'BlogPosting', datePublished: '2025-02-28', inLanguage: 'ar' });
    expect(page).toContain('<time datetime="2025-02-28" data-pagefind-meta="date[datetime], dateText">28 فبراير 2025</time>');
  });

  it('lists the post on the index page', async () => {
    const index = result.files.get('blog/index.html') as string;
    expect(index).toContain('<a href="russia-us-diplomatic-talks/">');
    expect(index).toMatch(/<html lang="ar" dir="rtl">/);
  });

  it('passes html-validate on every page', async () => {
    const pages = [...result.files].filter(([path]) => path.startsWith('blog/') && path.endsWith('.html'));
    const problems = await Promise.all(pages.map(([path, html]) => htmlProblems(String(html), path)));
    expect(problems.flat()).toEqual([]);
  });
});
