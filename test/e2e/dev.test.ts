import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevServer } from '../../src/dev/dev-server.js';
import { copyFixture } from '../helpers/site.js';
import { launchBrowser } from './browser.js';

describe('sahifa dev in Chromium', () => {
  it('shows a failed build over the page and reloads the page after a good one', async () => {
    const root = await copyFixture('email-site');
    const server = await startDevServer({ root, port: 0 });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(new URL('english/', server.url).href);
      const post = join(root, 'posts', 'english.md');
      const original = await readFile(post, 'utf8');

      await writeFile(post, original.replace('date: 2025-03-02', 'date: 2025-02-30'));
      const overlay = page.locator('sahifa-build-error pre');
      await overlay.waitFor({ timeout: 0 });
      expect(await overlay.textContent()).toContain('posts/english.md:3:7: error `date`: this date does not exist on the calendar');

      const reloaded = page.waitForEvent('load', { timeout: 0 });
      await writeFile(post, original.replace('A quote from the ministry.', 'A quote, fixed.'));
      await reloaded;
      expect(await page.locator('blockquote').textContent()).toContain('A quote, fixed.');
      expect(await overlay.count()).toBe(0);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
