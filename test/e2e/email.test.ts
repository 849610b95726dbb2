import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/pipeline/build.js';
import { FIXTURES, REPO } from '../helpers/site.js';
import { launchBrowser } from './browser.js';

/**
 * What Gmail leaves of an email: no `<html>`, `<head>`, `<body>` or `<style>`
 * (the body becomes a `<div>`), so direction must live on inner elements.
 */
function gmailView(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  const withoutStyles = body.replace(/<style[\s\S]*?<\/style>/gi, '');
  return `<!DOCTYPE html><meta charset="utf-8"><div class="gmail-body">${withoutStyles}</div>`;
}

interface BlockLayout {
  tag: string;
  text: string;
  direction: string;
  textAlign: string;
}

/**
 * Direction and alignment of every paragraph, heading, list item and button
 * of the email. A button's alignment is where its box sits in its cell
 * (its label is centred inside the button, as it should be).
 */
async function blockLayouts(page: Page): Promise<BlockLayout[]> {
  return page.evaluate(() =>
    // mj-divider draws its rule with an empty <p>: only blocks with text count.
    [...document.querySelectorAll('p, h1, h2, h3, li, td > a')].filter((element) => element.textContent?.trim()).map((element) => {
      const style = getComputedStyle(element);
      let textAlign = style.textAlign;
      if (element.tagName === 'A') {
        const button = element.closest('table')!.getBoundingClientRect();
        const cell = element.closest('table')!.parentElement!;
        const box = cell.getBoundingClientRect();
        const padding = getComputedStyle(cell);
        const right = Math.abs(button.right - (box.right - parseFloat(padding.paddingRight))) < 1;
        const left = Math.abs(button.left - (box.left + parseFloat(padding.paddingLeft))) < 1;
        textAlign = right && !left ? 'right' : left && !right ? 'left' : 'center';
      }
      return { tag: element.tagName.toLowerCase(), text: (element.textContent ?? '').trim().slice(0, 40), direction: style.direction, textAlign };
    }),
  );
}

async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('the newsletter email in Chromium (issue 2)', () => {
  let browser: Browser;
  let sample: BuildResult;
  let fixture: BuildResult;

  beforeAll(async () => {
    sample = await build({ root: REPO, out: await mkdtemp(join(tmpdir(), 'sahifa-email-')) });
    fixture = await build({ root: join(FIXTURES, 'email-site'), write: false });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function show(html: string, width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.setContent(html, { waitUntil: 'load' });
    return page;
  }

  const views = { 'as sent': (html: string) => html, 'in a Gmail view': gmailView };

  for (const [view, transform] of Object.entries(views)) {
    for (const width of [600, 375]) {
      it(`sample email ${view} at ${width} px: every block right to left and right-aligned, no overflow`, async () => {
        const page = await show(transform(sample.emails.get('russia-us-diplomatic-talks')!.html), width);
        const blocks = await blockLayouts(page);
        expect(blocks.filter((block) => block.tag === 'p').length).toBeGreaterThanOrEqual(10);
        expect(blocks.filter((block) => block.tag === 'a')).toHaveLength(2);
        for (const block of blocks) {
          expect(block, `${block.tag} «${block.text}»`).toMatchObject({ direction: 'rtl', textAlign: 'right' });
        }
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(sample.outDir, `email-${view.replace(/\W+/g, '-')}-${width}.png`), fullPage: true });
        await page.close();
      });
    }
  }

  it('an English post gives a left-to-right email, but the Arabic site name and address stay right to left (issue 10)', async () => {
    const arabicBlocks = ['موقع تجاربنا', 'ص.ب. 12345، الرياض'];
    for (const transform of Object.values(views)) {
      const page = await show(transform(fixture.emails.get('english')!.html), 375);
      const blocks = await blockLayouts(page);
      expect(blocks.filter((block) => arabicBlocks.includes(block.text)).map((block) => block.text).sort()).toEqual([...arabicBlocks].sort());
      for (const block of blocks) {
        const own = arabicBlocks.includes(block.text) ? { direction: 'rtl', textAlign: 'right' } : { direction: 'ltr', textAlign: 'left' };
        expect(block, `${block.tag} «${block.text}»`).toMatchObject(own);
      }
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.close();
    }
  });

  it('keeps an image, a table, code and a quote readable, each in its direction', async () => {
    for (const transform of Object.values(views)) {
      const page = await show(transform(fixture.emails.get('mixed')!.html), 375);
      const facts = await page.evaluate(() => {
        const direction = (element: Element | null) => (element ? getComputedStyle(element).direction : 'missing');
        const english = [...document.querySelectorAll('p')].find((p) => p.textContent?.startsWith('The delegations'));
        const code = [...document.querySelectorAll('div[dir="ltr"]')].find((div) => div.textContent?.includes('const direction'));
        const quote = document.querySelector('blockquote');
        const image = document.querySelector('img[alt="خريطة إسطنبول"]') as HTMLImageElement | null;
        const cells = [...document.querySelectorAll('td, th')].filter((cell) => !cell.querySelector('table') && /Darchiev|دارشييف|Name|الاسم/.test(cell.textContent ?? ''));
        return {
          english: [direction(english ?? null), english ? getComputedStyle(english).textAlign : ''],
          code: [direction(code ?? null), code ? getComputedStyle(code).textAlign : '', code?.querySelectorAll('br').length ?? 0],
          quote: [direction(quote), quote ? getComputedStyle(quote).borderRightWidth : '', quote ? getComputedStyle(quote).borderLeftWidth : ''],
          image: image ? [image.getAttribute('src'), image.getBoundingClientRect().width <= document.documentElement.clientWidth] : ['missing'],
          cells: cells.map((cell) => `${cell.textContent?.trim()}:${getComputedStyle(cell).direction}`),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      expect(facts.english).toEqual(['ltr', 'left']);
      expect(facts.code).toEqual(['ltr', 'left', 3]);
      expect(facts.quote).toEqual(['rtl', '4px', '0px']);
      // Since issue 14 the email's image is its processed file, named with a hash and its width.
      expect(facts.image).toEqual([expect.stringMatching(/^https:\/\/example\.org\/media\/images\/istanbul\.[0-9a-f]{8}-\d+\.png$/), true]);
      expect(facts.cells.sort()).toEqual(['Darchiev:ltr', 'Name:ltr', 'الاسم:rtl', 'دارشييف:rtl'].sort());
      expect(facts.overflow).toBeLessThanOrEqual(0);
      await page.close();
    }
  });
});
