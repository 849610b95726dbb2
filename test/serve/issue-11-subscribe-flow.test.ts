import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { copyFixture } from '../helpers/site.js';
import { sendNewsletter } from '../../src/send/send.js';
import { findSubscriber } from '../../src/send/subscribers.js';
import { linkIn, SECRET, startServeSite, type ServeSite } from './serve-site.js';

let site: ServeSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

/** A header as sent, folded lines joined. */
function headerLine(message: { parsed: { headerLines: ReadonlyArray<{ key: string; line: string }> } }, name: string): string {
  return message.parsed.headerLines.find((line) => line.key === name)?.line.replace(/\r?\n\s+/g, '') ?? '';
}

const CONFIRM_PREFIX = 'https://example.org/newsletter/confirm?token=';

describe('issue 11: a reader subscribes from the page, confirms by email, gets the next send and leaves in one click', () => {
  it('subscribe → RTL confirmation email → confirm → send → one-click unsubscribe → already unsubscribed → back only through a new confirmation', async () => {
    site = await startServeSite();
    const { db, smtp, server } = site;

    // The footer form, JavaScript off: a full page in the blog's look with a way back.
    const answer = await site.subscribe('Reader@Example.COM ');
    expect(answer.status).toBe(200);
    const page = await answer.text();
    expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="ar" dir="rtl">/);
    expect(page).toContain('<link rel="stylesheet" href="https://example.org/assets/style.css">');
    expect(page).toContain('<a href="https://example.org/talks/">العودة إلى الصفحة</a>');
    expect(page).toContain('ستصله رسالة فيها رابط لتأكيد الاشتراك في نشرة موقع تجاربنا');
    expect(findSubscriber(db, 'Reader@example.com')?.state).toBe('pending');
    const consent = db.prepare('SELECT page, w.text AS wording, lang, requested_at, confirmed_at FROM consents JOIN wordings w ON w.id = consents.wording_id').all() as Array<Record<string, string | null>>;
    expect(consent).toHaveLength(1);
    expect(consent[0]).toMatchObject({ page: 'https://example.org/talks/', wording: 'اشترك للحصول على أحدث التدوينات المرسلة إلى بريدك الإلكتروني.', lang: 'ar', confirmed_at: null });
    expect(consent[0]?.requested_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    // The confirmation email: right to left, in Arabic, through the newsletter's layout.
    await server.settled();
    expect(smtp.received).toHaveLength(1);
    const confirmation = smtp.received[0]!;
    expect(confirmation.to).toEqual(['Reader@example.com']);
    expect(confirmation.parsed.subject).toBe('أكّد اشتراكك في نشرة موقع تجاربنا');
    const html = String(confirmation.parsed.html);
    expect(html).toMatch(/<html[^>]* lang="ar" dir="rtl"/);
    expect(html).toContain('<h1 dir="rtl" lang="ar" style="margin:0 0 16px;font-size:22px;line-height:1.4;direction:rtl;text-align:right">');
    expect(html).toContain('<span dir="ltr">Reader@example.com</span>');
    expect(html).not.toMatch(/direction:ltr/);
    expect(confirmation.parsed.text).toContain('تأكيد الاشتراك: https://example.org/newsletter/confirm?token=');
    const link = linkIn(html, CONFIRM_PREFIX);
    // No address in clear in the link.
    expect(link).not.toMatch(/reader|example\.com|%40/i);

    // GET shows a button and changes nothing (link scanners); the button confirms.
    const shown = await fetch(site.local(link));
    expect(shown.status).toBe(200);
    const form = await shown.text();
    expect(form).toContain('<form class="service-form" method="post">');
    expect(form).toContain('<bdi dir="ltr">Reader@example.com</bdi>');
    expect(findSubscriber(db, 'Reader@example.com')?.state).toBe('pending');
    const confirmed = await fetch(site.local(link), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('تم تأكيد اشتراكك في نشرة موقع تجاربنا');
    expect(findSubscriber(db, 'Reader@example.com')?.state).toBe('active');
    // Confirming twice is harmless.
    const twice = await fetch(site.local(link), { method: 'POST' });
    expect(twice.status).toBe(200);
    expect(await twice.text()).toContain('تم تأكيد اشتراكك');

    // The welcome email (subscribe.welcome is on), with its own one-click unsubscribe.
    await server.settled();
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]!.parsed.subject).toBe('مرحبًا بك في نشرة موقع تجاربنا');
    expect(headerLine(smtp.received[1]!, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    // A second subscribe of an active address sends no second email, with the same answer.
    const again = await site.subscribe('reader@example.com');
    expect(again.status).toBe(200);
    await server.settled();
    expect(smtp.received).toHaveLength(2);

    // `send` reaches the new subscriber.
    const report = await sendNewsletter({ root: site.root, slug: 'talks', smtpUrl: smtp.url, secret: SECRET });
    expect(report).toMatchObject({ sent: 1, failed: 0 });
    const newsletter = smtp.received[2]!;
    expect(newsletter.to).toEqual(['Reader@example.com']);
    const unsubscribe = /<(https:[^>]+)>/.exec(headerLine(newsletter, 'list-unsubscribe'))?.[1] ?? '';
    expect(unsubscribe).toMatch(/^https:\/\/example\.org\/newsletter\/unsubscribe\?token=[\w-]+$/);
    expect(unsubscribe).not.toMatch(/reader|example\.com|%40/i);

    // One click (RFC 8058), then a second visit says already unsubscribed and offers the way back.
    const oneClick = await fetch(site.local(unsubscribe), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect(findSubscriber(db, 'Reader@example.com')?.state).toBe('unsubscribed');
    const second = await (await fetch(site.local(unsubscribe))).text();
    expect(second).toContain('تم إلغاء اشتراكك في نشرة موقع تجاربنا من قبل');
    expect(second).toContain('<form class="service-form" method="post" action="https://example.org/newsletter/subscribe">');
    expect(second).toContain('<button type="submit">الاشتراك من جديد</button>');
    expect(second).not.toContain('هل تريد إلغاء اشتراك');

    // An old confirmation link cannot undo the unsubscribe.
    const stale = await fetch(site.local(link), { method: 'POST' });
    expect(stale.status).toBe(400);
    expect(findSubscriber(db, 'Reader@example.com')?.state).toBe('unsubscribed');

    // Coming back: the same answer, a new confirmation, and unsubscribed until it is confirmed.
    expect((await site.subscribe('reader@example.com')).status).toBe(200);
    await server.settled();
    expect(smtp.received).toHaveLength(4);
    expect(findSubscriber(db, 'Reader@example.com')?.state).toBe('unsubscribed');
    const newLink = linkIn(String(smtp.received[3]!.parsed.html), CONFIRM_PREFIX);
    expect((await fetch(site.local(newLink), { method: 'POST' })).status).toBe(200);
    expect(findSubscriber(db, 'Reader@example.com')?.state).toBe('active');

    // One log line per request, none with an address or a token.
    expect(site.log.filter((line) => /^(GET|POST) \//.test(line)).length).toBeGreaterThanOrEqual(10);
    expect(site.log.join('\n')).not.toMatch(/reader|example\.com|token|%40/i);
  });

  it('answers the script with JSON, and serves /healthz', async () => {
    site = await startServeSite();
    const json = await fetch(new URL('/subscribe', site.server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Origin: 'https://example.org' },
      body: JSON.stringify({ email: 'json@example.com', website: '' }),
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json.json()).toEqual({ ok: true, message: expect.stringContaining('موقع تجاربنا') });
    await site.server.settled();
    expect(site.smtp.received.map((message) => message.to)).toEqual([['json@example.com']]);
    const health = await fetch(new URL('/healthz', site.server.url));
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
  });

  it('writes the confirmation email and pages in the site\'s language and direction (English left to right, Persian right to left)', async () => {
    const config = await loadConfig(await copyFixture('serve-site'));
    for (const [lang, dir, subject, answer] of [
      ['en', 'ltr', 'Confirm your subscription to موقع تجاربنا', 'a message with a link to confirm'],
      ['fa-IR', 'rtl', 'اشتراک خود را در خبرنامهٔ موقع تجاربنا تأیید کنید', 'پیامی با پیوند تأیید اشتراک'],
    ] as const) {
      site = await startServeSite({ config: { ...config, lang } });
      const page = await (await site.subscribe('reader@example.com')).text();
      expect(page).toContain(`<html lang="${lang.slice(0, 2)}" dir="${dir}">`);
      expect(page).toContain(answer);
      await site.server.settled();
      const message = site.smtp.received[0]!;
      expect(message.parsed.subject).toBe(subject);
      expect(String(message.parsed.html)).toMatch(new RegExp(`<html[^>]* lang="${lang.slice(0, 2)}" dir="${dir}"`));
      expect(String(message.parsed.html)).toContain(`direction:${dir};text-align:${dir === 'rtl' ? 'right' : 'left'}`);
      await site.close();
      site = undefined;
    }
  });
});
