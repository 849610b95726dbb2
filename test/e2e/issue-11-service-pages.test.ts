import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertSubscriber } from '../../src/send/subscribers.js';
import { confirmToken, unsubscribeClaimToken } from '../../src/serve/tokens.js';
import { REPO } from '../helpers/site.js';
import { linkIn, SECRET, startServeSite, type ServeSite } from '../serve/serve-site.js';
import { launchBrowser, seriousAxeViolations } from './browser.js';

let browser: Browser;
let site: ServeSite;
let stylesheet: string;

beforeAll(async () => {
  [browser, site, stylesheet] = await Promise.all([launchBrowser(), startServeSite({ limits: { perIp: 1000, perAddress: 100 } }), readFile(join(REPO, 'templates', 'assets', 'style.css'), 'utf8')]);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** A page whose requests to the public site get the real stylesheet, and nothing else leaves the machine. */
async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.route('https://example.org/**', (route) =>
    route.request().url() === 'https://example.org/assets/style.css' ? route.fulfill({ status: 200, contentType: 'text/css', body: stylesheet }) : route.fulfill({ status: 404, body: '' }),
  );
  return page;
}

/** Shows HTML the service answered in Chromium, and returns axe-core's serious findings. */
async function axeOf(html: string): Promise<unknown[]> {
  const page = await newPage();
  await page.setContent(html, { waitUntil: 'load' });
  const violations = await seriousAxeViolations(page);
  await page.close();
  return violations;
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(new URL('/subscribe', site.server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://example.org', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

describe('issue 11: axe-core finds nothing serious on any page sahifa serve shows', () => {
  it('the subscribe answers: thanks, malformed address, another site, too large', async () => {
    const answers = await Promise.all([
      form({ email: 'axe@example.com', page: 'https://example.org/talks/' }),
      form({ email: 'not an address' }),
      form({ email: 'axe@example.com' }, { Origin: 'https://evil.example' }),
      form({ email: 'axe@example.com', pad: 'x'.repeat(9000) }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 403, 413]);
    for (const answer of answers) expect(await axeOf(await answer.text())).toEqual([]);
  });

  it('confirm in the browser: the link from the received email, its button, the confirmed page; expired and invalid links', async () => {
    await form({ email: 'browser@example.com' });
    await site.server.settled();
    const message = site.smtp.received.find((received) => received.to.includes('browser@example.com'))!;
    const link = site.local(linkIn(String(message.parsed.html), 'https://example.org/newsletter/confirm?token='));
    const page = await newPage();
    await page.goto(link.href);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'تأكيد الاشتراك' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('main').innerText()).toContain('تم تأكيد اشتراكك في نشرة موقع تجاربنا');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();

    const nonce = site.db.prepare('SELECT nonce FROM consents ORDER BY id DESC LIMIT 1').pluck().get() as string;
    const expired = confirmToken(SECRET, { address: 'browser@example.com', nonce, expires: 1 });
    for (const token of [expired, 'not-a-token-not-a-token-not-a-token-not-a-token']) {
      const answer = await fetch(new URL(`/confirm?token=${token}`, site.server.url));
      expect([400, 410]).toContain(answer.status);
      expect(await axeOf(await answer.text())).toEqual([]);
    }
  });

  it('unsubscribe: the question, the unsubscribed page, already unsubscribed, a bad link, and 404', async () => {
    upsertSubscriber(site.db, 'leaving@example.com');
    const token = unsubscribeClaimToken(SECRET, { address: 'leaving@example.com', list: 'newsletter.example.org' });
    const page = await newPage();
    await page.goto(new URL(`/newsletter/unsubscribe?token=${token}`, site.server.url).href);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'إلغاء الاشتراك' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('main').innerText()).toContain('تم إلغاء اشتراكك');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.goto(new URL(`/newsletter/unsubscribe?token=${token}`, site.server.url).href);
    expect(await page.getByRole('button', { name: 'الاشتراك من جديد' }).isVisible()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
    for (const path of ['/unsubscribe?token=broken-broken-broken-broken-broken-broken-broken', '/nothing-here']) {
      const answer = await fetch(new URL(path, site.server.url));
      expect([400, 404]).toContain(answer.status);
      expect(await axeOf(await answer.text())).toEqual([]);
    }
  });
});
