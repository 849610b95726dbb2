import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { fill } from '../../src/config/locales.js';
import { openDatabase } from '../../src/send/database.js';
import { findSubscriber } from '../../src/send/subscribers.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { serviceStrings } from '../../src/serve/strings.js';
import { REPO } from '../helpers/site.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { linkIn } from '../serve/serve-site.js';
import { launchBrowser, seriousAxeViolations } from './browser.js';
import { serveFolder, type StaticServer } from './serve.js';

const SECRET = 'issue-11-e2e-secret-long-enough-to-sign-tokens';
const POST = 'russia-us-diplomatic-talks/';
const { strings } = serviceStrings('ar');
const site = (text: string) => fill(text, { site: 'موقع تجاربنا' });

/**
 * The service's own host (as `news.example.org` behind Caddy would be): a
 * reverse proxy on another loopback port, so the blog's page posts to another
 * origin, as it does in a real deployment.
 */
async function proxy(): Promise<{ origin: string; target: { url: string }; close(): Promise<void> }> {
  const target = { url: '' };
  const server: Server = createServer((incoming, outgoing) => {
    const upstream = httpRequest(new URL(incoming.url ?? '/', target.url), { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(upstream);
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    target,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('issue 11: subscribing from the built sample page in Chromium, then confirming from the email', () => {
  let browser: Browser;
  let blog: StaticServer;
  let news: Awaited<ReturnType<typeof proxy>>;
  let smtp: TestSmtpServer;
  let service: RunningServer;
  let root: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    news = await proxy();
    const out = await mkdtemp(join(tmpdir(), 'sahifa-e2e-serve-'));
    blog = await serveFolder(join(out, 'blog'));
    root = await mkdtemp(join(tmpdir(), 'sahifa-e2e-serve-site-'));
    const config = JSON.parse(await readFile(join(REPO, 'sahifa.config.json'), 'utf8')) as Record<string, unknown> & { email: Record<string, unknown> };
    delete config.subscribe;
    delete config.email.unsubscribeUrl;
    await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, url: blog.url, serve: { url: `${news.origin}/newsletter/` } }, null, 2));
    await cp(join(REPO, 'posts'), join(root, 'posts'), { recursive: true });
    await build({ root, out });
    service = await startServer({ root, secret: SECRET, smtpUrl: smtp.url, port: 0 });
    news.target.url = service.url;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await news?.close();
    await blog?.close();
    await smtp?.close();
  });

  /** The confirmation link in the email that reached `address`. */
  async function confirmationLink(address: string): Promise<string> {
    await expect.poll(() => smtp.received.filter((message) => message.to.includes(address)).length).toBe(1);
    const message = smtp.received.find((received) => received.to.includes(address))!;
    expect(message.parsed.html).toContain('dir="rtl"');
    return linkIn(String(message.parsed.html), `${news.origin}/newsletter/confirm?token=`);
  }

  /** Opens the link from the email, presses the button, and checks the subscriber is active. */
  async function confirm(page: Page, link: string, address: string, axe = true): Promise<void> {
    await page.goto(link);
    await page.getByRole('button', { name: strings.confirmButton }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain(site(strings.confirmed));
    // axe runs as a script in the page: only where JavaScript is on.
    if (axe) expect(await seriousAxeViolations(page)).toEqual([]);
    const db = openDatabase(join(root, '.sahifa/sahifa.db'));
    try {
      expect(findSubscriber(db, address)?.state).toBe('active');
    } finally {
      db.close();
    }
  }

  it('with JavaScript: the answer appears in the form, the page stays, and the emailed link confirms', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL(POST, blog.url).href);
    await page.getByLabel('بريدك الإلكتروني').fill('reader.script@example.com');
    await page.getByRole('button', { name: 'اشترك' }).click();
    const status = page.getByRole('status');
    await expect.poll(() => status.textContent()).toBe(site(strings.subscribeAnswer));
    expect(page.url()).toBe(new URL(POST, blog.url).href);
    expect(await page.evaluate(() => ({
      state: document.querySelector('#subscribe-status')!.getAttribute('data-state'),
      direction: getComputedStyle(document.querySelector('#subscribe-status')!).direction,
    }))).toEqual({ state: 'ok', direction: 'rtl' });
    expect(errors).toEqual([]);
    await confirm(page, await confirmationLink('reader.script@example.com'), 'reader.script@example.com');
    await page.close();
  });

  it('with JavaScript: a malformed address gets the service\'s sentence inline and the field is marked invalid', async () => {
    const page = await browser.newPage();
    await page.goto(new URL(POST, blog.url).href);
    // Valid to the browser (no dot needed), refused by the service.
    const field = page.getByLabel('بريدك الإلكتروني');
    await field.fill('reader@localhost');
    await page.getByRole('button', { name: 'اشترك' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(strings.badAddress);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill('reader.fixed@example.com');
    expect(await field.getAttribute('aria-invalid')).toBeNull();
    await page.getByRole('button', { name: 'اشترك' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(site(strings.subscribeAnswer));
    await page.close();
  });

  it('without JavaScript: the form posts, the service answers with a page that links back, and the emailed link confirms', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const from = new URL(POST, blog.url).href;
    await page.goto(from);
    await page.getByLabel('بريدك الإلكتروني').fill('reader.plain@example.com');
    await Promise.all([page.waitForURL(`${news.origin}/**`), page.getByRole('button', { name: 'اشترك' }).click()]);
    expect(await page.locator('main').textContent()).toContain(site(strings.subscribeAnswer));
    const back = page.getByRole('link', { name: strings.back });
    expect(await back.getAttribute('href')).toBe(from);
    await Promise.all([page.waitForURL(from), back.click()]);
    await confirm(page, await confirmationLink('reader.plain@example.com'), 'reader.plain@example.com', false);
    await context.close();
  });
});
