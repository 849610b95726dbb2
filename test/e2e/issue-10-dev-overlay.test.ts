import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevServer } from '../../src/dev/dev-server.js';
import { openEvents } from '../helpers/dev.js';
import { copyFixture } from '../helpers/site.js';
import { launchBrowser } from './browser.js';

describe('issue 10: the dev loop in Chromium', () => {
  it('shows a broken build on pages opened or reloaded after it broke, until the build is good', async () => {
    const root = await copyFixture('email-site');
    const server = await startDevServer({ root, port: 0 });
    const browser = await launchBrowser();
    try {
      const events = await openEvents(server.url);
      const post = join(root, 'posts', 'english.md');
      const original = await readFile(post, 'utf8');
      const failed = events.next((state) => state.messages.length > 0);
      await writeFile(post, original.replace('date: 2025-03-02', 'date: 2025-02-30'));
      await failed;

      const message = 'posts/english.md:3:7: error `date`: this date does not exist on the calendar';
      const page = await browser.newPage();
      for (const path of ['english/', 'mixed/', '', 'no-such-page/', '__sahifa/email/mixed']) {
        await page.goto(new URL(path, server.url).href);
        const overlay = page.locator('sahifa-build-error pre');
        await overlay.waitFor({ timeout: 0 });
        expect(await overlay.isVisible(), path).toBe(true);
        expect(await overlay.textContent(), path).toContain(message);
      }
      await page.goto(new URL('english/', server.url).href);
      await page.reload();
      expect(await page.locator('sahifa-build-error pre').textContent()).toContain('this page is the last good build');

      const reloaded = page.waitForEvent('load', { timeout: 0 });
      await writeFile(post, original.replace('A quote from the ministry.', 'A quote, fixed.'));
      await reloaded;
      expect(await page.locator('blockquote').textContent()).toContain('A quote, fixed.');
      expect(await page.locator('sahifa-build-error').count()).toBe(0);
      events.close();
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it('shows the images of an email preview from the dev server', async () => {
    const root = await copyFixture('email-site');
    const server = await startDevServer({ root, port: 0 });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const outside: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(server.url)) outside.push(request.url());
      });
      await page.goto(new URL('__sahifa/email/mixed', server.url).href, { waitUntil: 'load' });
      // Since issue 14 the email's image is its processed file, named with a hash and its width.
      const image = page.locator('img[src^="/media/images/istanbul."]');
      expect(await image.getAttribute('src')).toMatch(/^\/media\/images\/istanbul\.[0-9a-f]{8}-\d+\.png$/);
      expect(await image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      expect(outside.filter((url) => url.startsWith('https://example.org/'))).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
