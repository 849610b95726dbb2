import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { writeFixtureImages } from '../images/fixture-images.js';
import { copyFixture } from '../helpers/site.js';
import { launchBrowser, seriousAxeViolations } from './browser.js';

/** A static server that holds every image response until {@link release} is called. */
interface HoldingServer {
  url: string;
  /** Image requests received so far. */
  held(): number;
  /** Lets every held image (and every later one) through. */
  release(): void;
  close(): Promise<void>;
}

async function holdingServer(folder: string): Promise<HoldingServer> {
  const handler = sirv(folder, { dev: true, dotfiles: false });
  let open = false;
  const waiting: Array<() => void> = [];
  let held = 0;
  const serve = (request: IncomingMessage, response: ServerResponse) =>
    handler(request, response, () => {
      response.statusCode = 404;
      response.end('not found');
    });
  const server: Server = createServer((request, response) => {
    request.on('error', () => undefined);
    response.on('error', () => undefined);
    if (!open && /\.(?:avif|webp|jpe?g|png|gif)$/i.test(request.url ?? '')) {
      held += 1;
      waiting.push(() => serve(request, response));
    } else {
      serve(request, response);
    }
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    held: () => held,
    release() {
      open = true;
      for (const go of waiting.splice(0)) go();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The page's height, every image's box, and the layout shifts Chromium recorded. */
function layout(page: Page) {
  return page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    boxes: [...document.images].map((img) => {
      const box = img.getBoundingClientRect();
      return [Math.round(box.width), Math.round(box.height)];
    }),
    loaded: [...document.images].filter((img) => img.complete && img.naturalWidth > 0).length,
    shift: (globalThis as unknown as { layoutShift: number }).layoutShift,
  }));
}

describe('issue 14: images in Chromium', () => {
  let browser: Browser;
  let root: string;

  beforeAll(async () => {
    root = await copyFixture('issue-14-images');
    await writeFixtureImages(root);
    // A remote image has no size to reserve (that is what its warning says): this page is about local ones.
    const post = join(root, 'posts', 'photos.md');
    await writeFile(post, (await readFile(post, 'utf8')).replace(/صورة من موقع آخر:\n\n!\[[^\]]*\]\([^)]*\)\n/, ''));
    await build({ root });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  for (const width of [390, 1024]) {
    it(`does not move the page as the images arrive (${width} px wide), and axe finds nothing serious`, async () => {
      const server = await holdingServer(join(root, 'dist', 'blog'));
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      try {
        await page.addInitScript(() => {
          const state = globalThis as unknown as { layoutShift: number };
          state.layoutShift = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) if (!entry.hadRecentInput) state.layoutShift += entry.value;
          }).observe({ type: 'layout-shift', buffered: true });
        });
        await page.goto(new URL('photos/', server.url).href, { waitUntil: 'domcontentloaded' });
        await page.waitForFunction(() => document.readyState !== 'loading');
        // Web fonts may swap in and move text: let them settle first, since this test is about images.
        await page.evaluate(async () => {
          await document.fonts.ready;
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          (globalThis as unknown as { layoutShift: number }).layoutShift = 0;
        });
        const before = await layout(page);
        expect(before.loaded).toBe(0);
        expect(server.held()).toBeGreaterThan(0);
        server.release();
        // Bring every lazy image into view, then back to the top.
        for (let y = 0; y <= before.height; y += 400) await page.evaluate((top) => window.scrollTo(0, top), y);
        await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
        await page.evaluate(() => window.scrollTo(0, 0));
        const after = await layout(page);
        expect(after.loaded).toBe(after.boxes.length);
        expect(after.height).toBe(before.height);
        expect(after.boxes).toEqual(before.boxes);
        expect(after.shift).toBe(0);
        // The browser chose a modern format from the <picture>.
        const chosen = await page.evaluate(() => [...document.querySelectorAll('picture img')].map((img) => (img as HTMLImageElement).currentSrc));
        for (const src of chosen) expect(src).toMatch(/\.avif$/);
        expect(await seriousAxeViolations(page)).toEqual([]);
      } finally {
        await page.close();
        await server.close();
      }
    });
  }
});
