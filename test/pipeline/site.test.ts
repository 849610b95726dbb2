import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { byClass, findAll, htmlProblems, parseHtml } from '../helpers/html.js';
import { copyFixture, FIXTURES } from '../helpers/site.js';

const ROOT = join(FIXTURES, 'site-three-posts');
const SITE = 'https://example.org/blog/';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'item', 'url', 'link', 'category'].includes(name) });

type XmlNode = Record<string, unknown>;

/** Parses an output XML file after checking it is well-formed. */
function parseXml(result: BuildResult, path: string): XmlNode {
  const text = String(result.files.get(path));
  expect(XMLValidator.validate(text), path).toBe(true);
  return xml.parse(text) as XmlNode;
}

/** The output file a public address stands for, or `undefined` when it is not on the site. */
function fileForUrl(result: BuildResult, url: string): string | undefined {
  if (!url.startsWith(SITE)) return undefined;
  const path = decodeURIComponent(url.slice(SITE.length));
  return [path, `${path}index.html`].map((candidate) => `blog/${candidate}`).find((candidate) => result.files.has(candidate));
}

describe('a site with three posts, two tags, an image and a broken link (issue 3)', () => {
  let result: BuildResult;

  beforeAll(async () => {
    result = await build({ root: ROOT, write: false, now: new Date('2026-01-01T00:00:00Z') });
  });

  it('gives exactly the pages expected', () => {
    const pages = [...result.files.keys()].filter((path) => path.endsWith('.html') && path.startsWith('blog/')).sort();
    expect(pages).toEqual(
      [
        'blog/404.html',
        'blog/first/index.html',
        'blog/index.html',
        'blog/page/2/index.html',
        'blog/search/index.html',
        'blog/second/index.html',
        'blog/tags/index.html',
        'blog/tags/اقتصاد/index.html',
        'blog/tags/سياسة/index.html',
        'blog/third/index.html',
      ].sort(),
    );
    expect(result.pages).toBe(10);
  });

  it('gives exactly the warnings expected: the broken link, with its page and place', () => {
    expect(result.warnings.map((message) => formatMessage(message, { cwd: ROOT }))).toEqual([
      'dist/blog/second/index.html:50:50: warning link "../missing/" points at nothing: no missing/index.html in the output [broken-link]',
    ]);
  });

  it('fails on the broken link with --strict', async () => {
    const error = await build({ root: ROOT, write: false, strict: true }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BuildFailure);
    expect((error as BuildFailure).messages.filter((message) => message.fatal).map((message) => message.ruleId)).toEqual(['broken-link']);
  });

  it('publishes the image processed (issue 14), gives it its size and lazy loading, and uses the cover', () => {
    const media = [...result.files.keys()].filter((path) => path.startsWith('blog/media/'));
    expect(media).toContain(media.find((path) => /^blog\/media\/first\/map\.[0-9a-f]{8}-120\.png$/.test(path)));
    expect(media).not.toContain('blog/media/first/map.png');
    const page = String(result.files.get('blog/first/index.html'));
    expect(page).toMatch(/<img src="\.\.\/media\/first\/map\.[0-9a-f]{8}-120\.png" alt="خريطة إسطنبول" loading="lazy" decoding="async" width="120" height="80" srcset=/);
    expect(page).toMatch(/<img class="cover" src="\.\.\/media\/assets\/cover\.[0-9a-f]{8}-\d+\.png" alt="" decoding="async" data-pagefind-meta="image\[src\]" fetchpriority="high"/);
    expect(page).toMatch(new RegExp(`<meta property="og:image" content="${SITE}media/assets/cover\\.[0-9a-f]{8}-\\d+\\.png">`));
  });

  it('links tags from posts and lists each tag\'s posts', () => {
    const first = String(result.files.get('blog/first/index.html'));
    expect(first).toContain('<a href="../tags/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/" rel="tag" data-pagefind-filter="tag">سياسة</a>');
    const politics = parseHtml(String(result.files.get('blog/tags/سياسة/index.html')));
    const titles = byClass(politics, 'post-card-title').map((element) => findAll(element, (a) => a.tagName === 'a')[0]?.properties.href);
    expect(titles).toEqual(['../../second/', '../../first/']);
    const index = String(result.files.get('blog/tags/index.html'));
    expect(index).toContain('سياسة</a> <span class="tag-count">(2)</span>');
    expect(index).toContain('اقتصاد</a> <span class="tag-count">(1)</span>');
  });

  it('paginates the home page with rel prev/next, newest first', () => {
    const home = String(result.files.get('blog/index.html'));
    const second = String(result.files.get('blog/page/2/index.html'));
    expect(home).toContain('<link rel="next" href="page/2/">');
    expect(home).toContain('<a rel="next" href="page/2/">');
    expect(home.indexOf('The third')).toBeLessThan(home.indexOf('الثانية'));
    expect(home).not.toContain('الأولى</a>');
    expect(second).toContain('<link rel="prev" href="../../">');
    expect(second).toContain('<a href="../../first/">الأولى</a>');
    expect(second).toContain('الصفحة 2 من 2');
  });

  it('writes an Atom feed with the required elements, language and full content', () => {
    const feed = parseXml(result, 'blog/feed.xml').feed as XmlNode;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed['@xml:lang']).toBe('ar');
    expect(feed.id).toBe(SITE);
    expect(feed.updated).toBe('2025-01-03T00:00:00.000Z');
    expect((feed.link as XmlNode[]).map((link) => link['@rel'])).toEqual(['self', 'alternate']);
    const entries = feed.entry as XmlNode[];
    expect(entries.map((entry) => entry.id)).toEqual([`${SITE}third/`, `${SITE}second/`, `${SITE}first/`]);
    for (const entry of entries) {
      for (const key of ['title', 'id', 'updated', 'published', 'summary', 'content', 'author', 'link']) expect(entry[key], key).toBeDefined();
    }
    expect(entries[0]?.['@xml:lang']).toBe('en');
    expect((entries[2]?.content as XmlNode)['#text']).toMatch(new RegExp(`src="${SITE}media/first/map\\.[0-9a-f]{8}-120\\.png"`));
  });

  it('writes an RSS 2.0 feed with language, guid and dates', () => {
    const channel = (parseXml(result, 'blog/rss.xml').rss as XmlNode).channel as XmlNode;
    expect(channel.language).toBe('ar');
    for (const key of ['title', 'link', 'description', 'lastBuildDate']) expect(channel[key], key).toBeDefined();
    const items = channel.item as XmlNode[];
    expect(items).toHaveLength(3);
    expect(items[2]?.pubDate).toBe('Wed, 01 Jan 2025 00:00:00 GMT');
    expect(items[2]?.category).toEqual(['سياسة', 'اقتصاد']);
    for (const item of items) for (const key of ['title', 'link', 'guid', 'pubDate', 'description', 'content:encoded']) expect(item[key], key).toBeDefined();
  });

  it('writes a JSON Feed 1.1 with language and items', () => {
    const feed = JSON.parse(String(result.files.get('blog/feed.json'))) as { version: string; language: string; items: Array<Record<string, unknown>> };
    expect(feed).toMatchObject({ version: 'https://jsonfeed.org/version/1.1', language: 'ar', title: 'مدونة الاختبار', home_page_url: SITE, feed_url: `${SITE}feed.json` });
    expect(feed.items.map((item) => item.id)).toEqual([`${SITE}third/`, `${SITE}second/`, `${SITE}first/`]);
    expect(feed.items[2]).toMatchObject({ image: expect.stringMatching(new RegExp(`^${SITE}media/assets/cover\\.[0-9a-f]{8}-\\d+\\.png$`)), tags: ['سياسة', 'اقتصاد'], date_published: '2025-01-01T00:00:00.000Z' });
    for (const item of feed.items) for (const key of ['id', 'url', 'title', 'content_html', 'summary', 'date_published', 'language']) expect(item[key], key).toBeDefined();
  });

  it('points every URL of the sitemap and the feeds at a page that exists', () => {
    const sitemap = parseXml(result, 'blog/sitemap.xml').urlset as XmlNode;
    const sitemapUrls = (sitemap.url as XmlNode[]).map((url) => String(url.loc));
    expect(sitemapUrls).toHaveLength(8);
    const atom = (parseXml(result, 'blog/feed.xml').feed as XmlNode).entry as XmlNode[];
    const rss = ((parseXml(result, 'blog/rss.xml').rss as XmlNode).channel as XmlNode).item as XmlNode[];
    const json = (JSON.parse(String(result.files.get('blog/feed.json'))) as { items: Array<{ url: string }> }).items;
    const urls = [...sitemapUrls, ...atom.map((entry) => String(entry.id)), ...rss.map((item) => String(item.link)), ...json.map((item) => item.url)];
    for (const url of urls) {
      expect(url, url).toMatch(/^https:\/\//);
      expect(fileForUrl(result, url), url).toBeDefined();
    }
    expect(String(result.files.get('blog/robots.txt'))).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${SITE}sitemap.xml\n`);
  });

  it('announces the feeds on every page and gives the 404 page absolute links', () => {
    for (const [path, content] of result.files) {
      if (!path.endsWith('.html') || !path.startsWith('blog/')) continue;
      expect(String(content), path).toContain(`<link rel="alternate" type="application/atom+xml" title="مدونة الاختبار (Atom)" href="${SITE}feed.xml">`);
    }
    const notFound = parseHtml(String(result.files.get('blog/404.html')));
    const references = findAll(notFound, (element) => ['a', 'link'].includes(element.tagName)).map((element) => String(element.properties.href));
    for (const reference of references) expect(reference, reference).toMatch(/^(https:\/\/|#)/);
  });

  it('renders a post with lang: en left to right, in English', () => {
    const third = String(result.files.get('blog/third/index.html'));
    expect(third).toMatch(/<html lang="en" dir="ltr">/);
    expect(third).toContain('You can share this story on social media:');
    expect(third).toContain('<time datetime="2025-01-03" data-pagefind-meta="date[datetime], dateText">January 3, 2025</time>');
  });

  it('lets the site replace one template of the theme and keep the rest', async () => {
    const root = await copyFixture('site-three-posts');
    await mkdir(join(root, 'templates', 'page', 'partials'), { recursive: true });
    await writeFile(join(root, 'templates', 'page', 'partials', 'footer.hbs'), '<footer class="site-footer"><p>تذييل خاص بالموقع</p></footer>\n');
    const custom = await build({ root, write: false });
    const page = String(custom.files.get('blog/first/index.html'));
    expect(page).toContain('<footer class="site-footer"><p>تذييل خاص بالموقع</p></footer>');
    expect(page).toContain('اكتشاف المزيد من مدونة الاختبار');
  });

  it('passes html-validate on every page', async () => {
    const pages = [...result.files].filter(([path]) => path.startsWith('blog/') && path.endsWith('.html'));
    const problems = await Promise.all(pages.map(([path, html]) => htmlProblems(String(html), path)));
    expect(problems.flat()).toEqual([]);
  });
});
