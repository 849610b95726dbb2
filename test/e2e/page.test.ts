import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { REPO } from '../helpers/site.js';
import { launchBrowser, seriousAxeViolations } from './browser.js';
import { serveFolder, type StaticServer } from './serve.js';

describe('the sample post in Chromium (issue 1)', () => {
  let browser: Browser;
  let server: StaticServer;
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'sahifa-e2e-'));
    await build({ root: REPO, out });
    server = await serveFolder(join(out, 'blog'));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string, width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.goto(new URL(path, server.url).href);
    return page;
  }

  it('computes right-to-left on the article and its paragraphs', async () => {
    const page = await open('russia-us-diplomatic-talks/index.html', 1024);
    const directions = await page.evaluate(() => {
      const article = document.querySelector('article')!;
      const paragraphs = [...article.querySelectorAll('.post-body p')];
      return {
        article: getComputedStyle(article).direction,
        paragraphs: paragraphs.map((p) => getComputedStyle(p).direction),
        align: paragraphs.map((p) => getComputedStyle(p).textAlign),
      };
    });
    expect(directions.article).toBe('rtl');
    expect(directions.paragraphs).toHaveLength(10);
    expect(new Set(directions.paragraphs)).toEqual(new Set(['rtl']));
    expect(new Set(directions.align)).toEqual(new Set(['start']));
    await page.close();
  });

  it('starts the title at the right edge and isolates its Latin run', async () => {
    const page = await open('russia-us-diplomatic-talks/index.html', 1024);
    const layout = await page.evaluate(() => {
      const title = document.querySelector('.post-title')!;
      const range = document.createRange();
      range.setStart(title.firstChild!, 0);
      range.setEnd(title.firstChild!, 4);
      const bdi = title.querySelector('bdi')!;
      return {
        titleRight: title.getBoundingClientRect().right,
        firstWordRight: range.getBoundingClientRect().right,
        latin: bdi.textContent,
        latinDirection: getComputedStyle(bdi).direction,
        latinBidi: getComputedStyle(bdi).unicodeBidi,
      };
    });
    expect(Math.abs(layout.titleRight - layout.firstWordRight)).toBeLessThan(2);
    expect(layout).toMatchObject({ latin: 'RT World News', latinDirection: 'ltr', latinBidi: 'isolate' });
    await page.screenshot({ path: join(out, 'post-1024.png'), fullPage: true });
    await page.close();
  });

  for (const path of ['russia-us-diplomatic-talks/index.html', 'index.html', 'tags/index.html', 'tags/روسيا/index.html', '404.html']) {
    it(`${path}: no horizontal scroll at 375 px and 320 px`, async () => {
      for (const width of [375, 320]) {
        const page = await open(path, width);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `width ${width}`).toBeLessThanOrEqual(0);
        await page.close();
      }
    });

    it(`${path}: has no serious or critical axe-core violations`, async () => {
      const page = await open(path, 1024);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it('has a labelled subscribe form and the share links', async () => {
    const page = await open('russia-us-diplomatic-talks/index.html', 375);
    const field = page.getByLabel('بريدك الإلكتروني');
    expect(await field.getAttribute('type')).toBe('email');
    expect(await page.getByRole('button', { name: 'اشترك' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'اكتشاف المزيد من موقع تجاربنا' }).isVisible()).toBe(true);
    expect(await page.locator('.share-links a').count()).toBe(6);
    await page.close();
  });

  it('loads its own Arabic font and no third-party resource', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(new URL('russia-us-diplomatic-talks/', server.url).href);
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((face) => face.status === 'loaded').map((face) => `${face.family} ${face.weight}`);
    });
    expect(requests.filter((url) => !url.startsWith(server.url))).toEqual([]);
    expect(fonts).toContain('Noto Naskh Arabic 400');
    await page.close();
  });
});
