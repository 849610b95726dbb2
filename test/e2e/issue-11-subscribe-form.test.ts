import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { REPO } from '../helpers/site.js';
import { launchBrowser, seriousAxeViolations } from './browser.js';

const POST = 'russia-us-diplomatic-talks/';
const OFFLINE_AR = 'تعذّر الوصول إلى الخادم. تحقّق من اتصالك وأعد المحاولة.';

/** A server that takes each connection and drops it at once: to a browser, a service it cannot reach. */
async function droppingServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: TcpServer = createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.destroy();
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Serves a built blog folder with a strict Content-Security-Policy, as a careful host would. */
async function serveWithCsp(folder: string, connect: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const handler = sirv(folder, {
    dev: true,
    dotfiles: false,
    setHeaders: (response) => {
      response.setHeader(
        'Content-Security-Policy',
        `default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; connect-src ${connect()}; form-action ${connect()}; base-uri 'none'`,
      );
    },
  });
  const server: Server = createHttpServer((request, response) =>
    handler(request, response, () => {
      response.statusCode = 404;
      response.end('not found');
    }),
  );
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Builds the sample site with `url` as its address and the form posting to the service at `service`. */
async function buildSample(out: string, url: string, service: string): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'sahifa-e2e-subscribe-site-'));
  const config = JSON.parse(await readFile(join(REPO, 'sahifa.config.json'), 'utf8')) as Record<string, unknown> & { email: Record<string, unknown> };
  delete config.subscribe;
  delete config.email.unsubscribeUrl;
  await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, url, serve: { url: service } }, null, 2));
  await cp(join(REPO, 'posts'), join(root, 'posts'), { recursive: true });
  await build({ root, out });
}

describe('issue 11: the subscribe form\'s script in Chromium, with the service out of reach', () => {
  let browser: Browser;
  let blog: { url: string; close(): Promise<void> };
  let service: { origin: string; close(): Promise<void> };

  beforeAll(async () => {
    const out = await mkdtemp(join(tmpdir(), 'sahifa-e2e-subscribe-'));
    service = await droppingServer();
    blog = await serveWithCsp(join(out, 'blog'), () => service.origin);
    await buildSample(out, blog.url, `${service.origin}/`);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await blog?.close();
    await service?.close();
  });

  /** Opens the sample post and records CSP violations and script errors. */
  async function open(options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage(options);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { cspViolations: string[] }).cspViolations ??= [];
        (window as unknown as { cspViolations: string[] }).cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    await page.goto(new URL(POST, blog.url).href);
    return { page, problems };
  }

  it('runs under script-src \'self\', answers inline in the page\'s language when the service cannot be reached, and keeps the form usable', async () => {
    const { page, problems } = await open();
    const address = page.getByLabel('بريدك الإلكتروني');
    await address.fill('reader@example.com');
    await page.getByRole('button', { name: 'اشترك' }).click();
    const status = page.getByRole('status');
    await expect.poll(() => status.textContent()).toBe(OFFLINE_AR);
    expect(page.url()).toBe(new URL(POST, blog.url).href);
    const state = await page.evaluate(() => {
      const region = document.querySelector('#subscribe-status')!;
      const form = document.querySelector('form.subscribe-form')!;
      return {
        direction: getComputedStyle(region).direction,
        lang: region.closest('[lang]')!.getAttribute('lang'),
        state: region.getAttribute('data-state'),
        busy: form.getAttribute('aria-busy'),
        disabled: document.querySelector('form.subscribe-form button')!.hasAttribute('aria-disabled'),
        value: (document.querySelector('#subscribe-email') as HTMLInputElement).value,
        violations: (window as unknown as { cspViolations?: string[] }).cspViolations ?? [],
      };
    });
    expect(state).toEqual({ direction: 'rtl', lang: 'ar', state: 'error', busy: null, disabled: false, value: 'reader@example.com', violations: [] });
    expect(problems).toEqual([]);

    // Still usable: a second try goes out again and answers again.
    await page.evaluate(() => (document.querySelector('#subscribe-status')!.textContent = ''));
    await address.press('Enter');
    await expect.poll(() => status.textContent()).toBe(OFFLINE_AR);
    await page.close();
  });

  it('has no serious axe finding with the answer shown (axe itself needs the CSP lifted)', async () => {
    const { page } = await open({ bypassCSP: true });
    await page.getByLabel('بريدك الإلكتروني').fill('reader@example.com');
    await page.getByRole('button', { name: 'اشترك' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(OFFLINE_AR);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('lets the browser check the address first: an invalid one never leaves the page', async () => {
    const { page } = await open();
    await page.getByLabel('بريدك الإلكتروني').fill('not an address');
    await page.getByRole('button', { name: 'اشترك' }).click();
    const result = await page.evaluate(() => ({
      valid: (document.querySelector('#subscribe-email') as HTMLInputElement).validity.valid,
      status: document.querySelector('#subscribe-status')!.textContent,
    }));
    expect(result).toEqual({ valid: false, status: '' });
    await page.close();
  });

  it('keeps the honeypot out of the keyboard\'s way: Tab goes from the address to the button and on', async () => {
    const { page } = await open();
    await page.getByLabel('بريدك الإلكتروني').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('اشترك');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).not.toBe('website');
    // Out of sight: its wrapper is one pixel, clipped away, and still rendered (not display:none).
    const box = await page.locator('.subscribe-trap').boundingBox();
    expect(box!.width * box!.height).toBeLessThanOrEqual(1);
    const style = await page.evaluate(() => {
      const computed = getComputedStyle(document.querySelector('.subscribe-trap')!);
      return { display: computed.display, overflow: computed.overflow, clipPath: computed.clipPath, hidden: document.querySelector('.subscribe-trap')!.getAttribute('aria-hidden') };
    });
    expect(style).toEqual({ display: 'block', overflow: 'hidden', clipPath: 'inset(50%)', hidden: 'true' });
    await page.close();
  });
});
