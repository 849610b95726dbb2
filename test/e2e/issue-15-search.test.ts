import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { copyFixture, FIXTURES } from '../helpers/site.js';
import { launchBrowser, seriousAxeViolations } from './browser.js';
import { serveFolder, type StaticServer } from './serve.js';

interface Expected {
  queries: Array<{ query: string; finds: string[]; form: string }>;
}

/** The Content-Security-Policy the README asks a host for: scripts only from the site, plus WebAssembly and a worker for Pagefind. */
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; base-uri 'none'";

describe('issue 15: search in Chromium, Arabic, Persian and English', () => {
  let browser: Browser;
  let blog: StaticServer;
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'issue-15-search', 'expected.json'), 'utf8')) as Expected;

  beforeAll(async () => {
    const root = await copyFixture('issue-15-search');
    await build({ root });
    blog = await serveFolder(join(root, 'dist', 'blog'), { 'Content-Security-Policy': CSP });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await blog?.close();
  });

  const search = (page: Page, query: string) => searchFor(page, blog, query);

  it('finds what a reader means in every form of the fixture (article, hamza, taa marbuta, alef maqsura, tashkeel, tatweel, Persian letters, ZWNJ, English), and nothing for the template\'s own words', async () => {
    expect(await findsEveryForm(browser, blog, expected)).toEqual(wantedResults(expected));
  });

  it('shows each result in its own language and direction, with the title as text (a title that looks like HTML stays text)', async () => {
    const page = await browser.newPage();
    let english = await search(page, 'negotiators');
    expect(english.slugs).toEqual(['english']);
    const card = page.locator('#search-results li');
    expect(await card.getAttribute('lang')).toBe('en');
    expect(await card.getAttribute('dir')).toBe('ltr');
    expect(await card.locator('a').textContent()).toBe('Talks in Istanbul');
    expect(english.status).toBe('عدد النتائج: 1');
    english = await search(page, 'زعفران');
    expect(await card.locator('a').textContent()).toBe('<img src=x onerror=alert(1)> عنوان خطير');
    expect(await page.locator('#search-results img').count()).toBe(0);
    expect(await card.getAttribute('dir')).toBe('rtl');
    const none = await search(page, 'اشترك');
    expect(none.status).toBe('لا توجد تدوينات تطابق «اشترك».');
    // A query is text too, wherever it came from (here a link's ?q=).
    const hostile = await search(page, '<svg/onload=confirm(7)>');
    expect(hostile.status).toBe('لا توجد تدوينات تطابق «<svg/onload=confirm(7)>».');
    expect(await page.locator('main svg').count()).toBe(0);
    expect(await page.locator('main img').count()).toBe(0);
    await page.close();
  });

  it('is reached from the header of every page, in the site\'s language and direction', async () => {
    const page = await browser.newPage();
    await page.goto(`${blog.url}school/`);
    await page.getByRole('link', { name: 'بحث', exact: true }).click();
    await page.waitForURL(`${blog.url}search/`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.querySelector('#search-query')!).direction])).toEqual(['ar', 'rtl', 'rtl']);
    await page.getByLabel('ابحث في التدوينات').fill('المدرسه');
    await page.getByLabel('ابحث في التدوينات').press('Enter');
    await expect.poll(() => page.locator('#search-results a').allTextContents()).toEqual(['يوم في المدرسة']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('المدرسه');
    await page.close();
  });

  it('says so without JavaScript, and links to the tag pages instead', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${blog.url}search/`);
    await expect.poll(() => page.locator('form[data-search]').isVisible()).toBe(false);
    expect(await page.getByText('يعمل البحث في هذه الصفحة بلغة JavaScript').isVisible()).toBe(true);
    const tags = page.getByRole('link', { name: 'كل الوسوم' });
    expect(await tags.isVisible()).toBe(true);
    await tags.click();
    await page.waitForURL(`${blog.url}tags/`);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious axe finding on the search page with results, in ${colorScheme} mode`, async () => {
      const context = await browser.newContext({ bypassCSP: true, colorScheme });
      const page = await context.newPage();
      await search(page, 'مدرسة');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await context.close();
    });
  }
});

describe('issue 13: search over an index cut into parts (pagefind/1/, pagefind/2/, …) finds what one index finds', () => {
  let browser: Browser;
  let blog: StaticServer;
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'issue-15-search', 'expected.json'), 'utf8')) as Expected;

  beforeAll(async () => {
    const root = await copyFixture('issue-15-search');
    // One page a part: the 8 pages are dealt into 8 parts by a hash of their path (some get none), so every search merges several.
    process.env.SAHIFA_SEARCH_PART_PAGES = '1';
    try {
      const result = await build({ root });
      expect(result.search).toMatchObject({ pages: 8 });
      expect(result.search?.parts).toBeGreaterThan(2);
      expect(result.search?.built).toBe(result.search?.parts);
    } finally {
      delete process.env.SAHIFA_SEARCH_PART_PAGES;
    }
    blog = await serveFolder(join(root, 'dist', 'blog'), { 'Content-Security-Policy': CSP });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await blog?.close();
  });

  it('finds every form of the fixture with every part merged, under the same Content-Security-Policy, with no failed request', async () => {
    expect(await findsEveryForm(browser, blog, expected)).toEqual(wantedResults(expected));
  });

  it('finds everything again in a browser that kept the index list of an earlier build (the host says to cache for 10 minutes), after a rebuild into more parts', async () => {
    const root = await copyFixture('issue-15-search');
    const cached = await serveFolder(join(root, 'dist', 'blog'), { 'Content-Security-Policy': CSP, 'Cache-Control': 'public, max-age=600' });
    const context = await browser.newContext();
    try {
      process.env.SAHIFA_SEARCH_PART_PAGES = '4';
      expect((await build({ root })).search?.parts).toBe(2);
      const page = await context.newPage();
      expect((await searchFor(page, cached, 'negotiators')).slugs).toEqual(['english']);
      process.env.SAHIFA_SEARCH_PART_PAGES = '1';
      expect((await build({ root })).search?.parts).toBeGreaterThan(2);
      const found: Record<string, string[]> = {};
      for (const { query, form } of expected.queries) found[`${query} (${form})`] = (await searchFor(page, cached, query)).slugs;
      expect(found).toEqual(wantedResults(expected).results);
    } finally {
      delete process.env.SAHIFA_SEARCH_PART_PAGES;
      await context.close();
      await cached.close();
    }
  });
});

/** Opens the search page with a query in its address and returns the slugs it lists once it has answered. */
async function searchFor(page: Page, blog: StaticServer, query: string): Promise<{ slugs: string[]; status: string }> {
  await page.goto(`${blog.url}search/?q=${encodeURIComponent(query)}`);
  const status = page.locator('#search-status');
  await expect.poll(async () => (await status.textContent()) ?? '').not.toBe('');
  const hrefs = await page.locator('#search-results a').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
  const slugs = hrefs.map((href) => decodeURIComponent(new URL(href).pathname).replace(/^\/|\/$/g, '')).sort();
  return { slugs, status: (await status.textContent()) ?? '' };
}

/** What the fixture's queries should find, by query and form. */
function wantedResults(expected: Expected): { results: Record<string, string[]>; problems: string[] } {
  return { results: Object.fromEntries(expected.queries.map(({ query, finds, form }) => [`${query} (${form})`, [...finds].sort()])), problems: [] };
}

/** Runs every query of the fixture on the search page: what each found, and any script error or failed request on the way. */
async function findsEveryForm(browser: Browser, blog: StaticServer, expected: Expected): Promise<{ results: Record<string, string[]>; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  // Chromium asks every site for /favicon.ico; any other missing file is a broken bundle.
  page.on('response', (response) => {
    if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') problems.push(`${response.status()} ${response.url()}`);
  });
  const results: Record<string, string[]> = {};
  for (const { query, form } of expected.queries) results[`${query} (${form})`] = (await searchFor(page, blog, query)).slugs;
  await page.close();
  return { results, problems };
}
