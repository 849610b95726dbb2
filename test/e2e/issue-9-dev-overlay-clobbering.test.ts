import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevServer } from '../../src/dev/dev-server.js';
import { openEvents } from '../helpers/dev.js';
import { copyFixture, REPO } from '../helpers/site.js';
import { launchBrowser } from './browser.js';

/**
 * Elements that replace `document`'s own methods and properties (DOM
 * clobbering), and rules that would hide an overlay styled from outside.
 * They go into the page through a theme override, which no sanitiser
 * touches, so the test keeps clobbering `document` whatever posts may carry.
 */
const CLOBBER = [
  '<img name="getElementById" alt=""><img name="querySelector" alt=""><img name="createElement" alt="">',
  '<img name="body" alt=""><img name="documentElement" alt=""><img name="head" alt=""><img name="appendChild" alt="">',
  '<form name="defaultView"></form><embed name="addEventListener"><img id="sahifa-build-error" alt="">',
  '<style>pre, sahifa-build-error, html > :not(body) { display: none !important; visibility: hidden !important }</style>',
].join('\n');

describe('issue 9: post and theme content cannot break the dev overlay', () => {
  it('shows the errors on a page whose document is clobbered, and reloads after a good build', async () => {
    const root = await copyFixture('email-site');
    const footer = await readFile(join(REPO, 'templates', 'page', 'partials', 'footer.hbs'), 'utf8');
    await mkdir(join(root, 'templates', 'page', 'partials'), { recursive: true });
    await writeFile(join(root, 'templates', 'page', 'partials', 'footer.hbs'), `${CLOBBER}\n${footer}`);
    const post = join(root, 'posts', 'english.md');
    const original = await readFile(post, 'utf8');
    // The issue's own example, in a post.
    await writeFile(post, `${original}\n<img name="getElementById" src="images/istanbul.png" alt="x">\n`);
    const server = await startDevServer({ root, port: 0 });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(new URL('english/', server.url).href);
      expect(await page.evaluate(() => [typeof document.getElementById, typeof document.createElement, String(document.body)])).toEqual(['object', 'object', '[object HTMLImageElement]']);
      // The client script ran on the clobbered document without throwing.
      expect(errors).toEqual([]);

      // The page is open when the build breaks: the overlay arrives over the event stream.
      const events = await openEvents(server.url);
      const failed = events.next((state) => state.messages.length > 0);
      await writeFile(post, original.replace('date: 2025-03-02', 'date: 2025-02-30'));
      await failed;
      const overlay = page.locator('sahifa-build-error pre');
      await overlay.waitFor({ timeout: 0 });
      expect(await overlay.isVisible()).toBe(true);
      expect(await overlay.textContent()).toContain('posts/english.md:3:7: error `date`: this date does not exist on the calendar');

      // A page opened now shows it from the response itself.
      const fresh = await browser.newPage();
      fresh.on('pageerror', (error) => errors.push(error.message));
      await fresh.goto(new URL('', server.url).href);
      await fresh.locator('sahifa-build-error pre').waitFor({ timeout: 0 });
      expect(await fresh.locator('sahifa-build-error pre').isVisible()).toBe(true);

      const reloaded = page.waitForEvent('load', { timeout: 0 });
      await writeFile(post, original);
      await reloaded;
      expect(await page.locator('sahifa-build-error').count()).toBe(0);
      expect(errors).toEqual([]);
      events.close();
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
