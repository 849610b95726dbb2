import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { makeSite } from '../helpers/site.js';
import { launchBrowser } from './browser.js';
import { serveFolder, type StaticServer } from './serve.js';

/** Where each footnote reference is drawn, against the last letter or digit before it. */
interface RefPlace {
  ref: string;
  before: string;
  direction: string;
  /** The reference's box and the previous character's box, left and right edges. */
  refLeft: number;
  refRight: number;
  prevLeft: number;
  prevRight: number;
}

/** Measures every footnote reference of the document open in `page`. */
function measure(page: Page): Promise<RefPlace[]> {
  return page.evaluate(() => {
    const refs = [...document.querySelectorAll('a[data-footnote-ref], a[href*="fn-"]')].filter((a) => a.closest('sup'));
    return refs.map((a) => {
      const sup = a.closest('sup')!;
      // The text node just before the reference, however deep (a <bdi> or <span dir> holds Latin runs).
      const walker = document.createTreeWalker(sup.closest('p, li, td, div')!, NodeFilter.SHOW_TEXT);
      let previous: Text | undefined;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (sup.contains(node)) break;
        if ((node.textContent ?? '').trim()) previous = node as Text;
      }
      const text = previous!.textContent!.replace(/\s+$/, '');
      const range = document.createRange();
      range.setStart(previous!, text.length - 1);
      range.setEnd(previous!, text.length);
      const prev = range.getBoundingClientRect();
      const box = sup.getBoundingClientRect();
      return {
        ref: sup.textContent ?? '',
        before: text.slice(-6),
        direction: getComputedStyle(sup.parentElement!).direction,
        refLeft: box.left,
        refRight: box.right,
        prevLeft: prev.left,
        prevRight: prev.right,
      };
    });
  });
}

/** True when the reference is drawn after the character before it, in the line's direction. */
const drawnAfter = (place: RefPlace) => (place.direction === 'rtl' ? place.refRight <= place.prevLeft + 0.5 : place.refLeft >= place.prevRight - 0.5);

const ARABIC = '---\ntitle: "حواشٍ"\ndate: 2025-01-01\n---\n\nفي عام 2015[^1] قال RT[^2] إن ١٤٤٦[^3] و COVID-19[^4] شيء.\n\n[^1]: أ.\n[^2]: ب.\n[^3]: ج.\n[^4]: د.\n';
const ENGLISH = '---\ntitle: "Notes"\ndate: 2025-01-02\nlang: en\n---\n\nIn 2015[^1] the minister said قال[^2] and then العربية 2020[^3] again.\n\n[^1]: a.\n[^2]: b.\n[^3]: c.\n';

describe('issue 10: a footnote reference is drawn after the number or word before it (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let out: string;

  beforeAll(async () => {
    const root = await makeSite({
      'sahifa.config.json': JSON.stringify({ title: 'موقع', url: 'https://example.org/', lang: 'ar', subscribe: { action: 'https://example.org/s' }, email: { address: 'ص.ب. 1' } }),
      'posts/arabic.md': ARABIC,
      'posts/english.md': ENGLISH,
    });
    out = await mkdtemp(join(tmpdir(), 'sahifa-e2e-fn-'));
    await build({ root, out });
    server = await serveFolder(join(out, 'blog'));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.each([
    ['arabic', 'rtl', 4],
    ['english', 'ltr', 3],
  ])('on the %s post\'s page', async (slug, direction, count) => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    await page.goto(new URL(`${slug}/`, server.url).href);
    const places = await measure(page);
    expect(places).toHaveLength(count);
    for (const place of places) {
      expect(place.direction).toBe(direction);
      expect(drawnAfter(place), JSON.stringify(place)).toBe(true);
    }
    await page.close();
  });

  it.each([
    ['arabic', 4],
    ['english', 3],
  ])('in the %s post\'s email', async (slug, count) => {
    const page = await browser.newPage({ viewport: { width: 700, height: 800 } });
    await page.setContent(await readFile(join(out, 'email', `${slug}.html`), 'utf8'));
    const places = await measure(page);
    expect(places).toHaveLength(count);
    for (const place of places) expect(drawnAfter(place), JSON.stringify(place)).toBe(true);
    await page.close();
  });
});
