import { afterEach, describe, expect, it } from 'vitest';
import { upsertSubscriber } from '../../src/send/subscribers.js';
import { sahifa } from '../helpers/cli.js';
import { linkIn, SECRET, startServeSite, type ServeSite } from './serve-site.js';

let site: ServeSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

describe('issue 11: send and serve write the same database at the same time', () => {
  it('a running `sahifa send` (another process) and 40 subscriptions with confirmations all succeed, nobody mailed twice', { timeout: 300_000 }, async () => {
    // The SMTP server takes a moment per message, so the send is still writing its log while the service writes.
    site = await startServeSite({ limits: { perIp: 1000, perAddress: 10 } }, { acceptDelayMs: () => 20 });
    const { db, smtp, server } = site;
    db.transaction(() => {
      for (let i = 0; i < 200; i += 1) upsertSubscriber(db, `existing${i}@example.com`);
    })();
    const sending = sahifa(['send', 'talks', '--root', site.root], { env: { SAHIFA_SMTP_URL: smtp.url, SAHIFA_SECRET: SECRET } });
    while (smtp.completed === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const subscribed = await site!.subscribe(`new${i}@example.com`);
        return subscribed.status;
      }),
    );
    expect(answers).toEqual(Array.from({ length: 40 }, () => 200));
    // The service's writes happened while the send was under way.
    expect(smtp.completed).toBeLessThan(200);
    await server.settled();
    const confirmations = smtp.received.filter((message) => message.parsed.subject === 'أكّد اشتراكك في نشرة موقع تجاربنا');
    expect(confirmations).toHaveLength(40);
    const confirmed = await Promise.all(
      confirmations.map(async (message) => (await fetch(site!.local(linkIn(String(message.parsed.html), 'https://example.org/newsletter/confirm?token=')), { method: 'POST' })).status),
    );
    expect(confirmed).toEqual(Array.from({ length: 40 }, () => 200));
    const sent = await sending;
    expect(sent.stderr).toBe('');
    expect(sent.status).toBe(0);
    expect(db.prepare("SELECT count(*) FROM subscribers WHERE email LIKE 'new%' AND state = 'active'").pluck().get()).toBe(40);
    expect(db.prepare('SELECT count(*) FROM consents WHERE confirmed_at IS NOT NULL').pluck().get()).toBe(40);
    // Every existing subscriber got the newsletter exactly once.
    await server.settled();
    const newsletters = smtp.received.filter((message) => message.parsed.subject?.startsWith('تعلق روسيا'));
    const recipients = newsletters.flatMap((message) => message.to);
    expect(new Set(recipients).size).toBe(recipients.length);
    for (let i = 0; i < 200; i += 1) expect(recipients).toContain(`existing${i}@example.com`);
  });
});
