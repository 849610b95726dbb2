import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { openDatabase } from '../../src/send/database.js';
import { findSubscriber, upsertSubscriber } from '../../src/send/subscribers.js';
import { unsubscribeToken, unsubscribeUrl } from '../../src/send/unsubscribe.js';
import { startUnsubscribeServer } from '../../src/serve/unsubscribe-server.js';
import { copyFixture } from '../helpers/site.js';

const SECRET = 'unsubscribe-server-secret-of-32-bytes+';

describe('the unsubscribe endpoint (issue 4; moved to sahifa serve in issue 11)', () => {
  it('confirms on GET, unsubscribes on a one-click POST, and refuses a forged token', async () => {
    const root = await copyFixture('send-site');
    const config = await loadConfig(root);
    const db = openDatabase(join(root, config.database));
    upsertSubscriber(db, 'reader@example.com');
    upsertSubscriber(db, 'other@example.com');
    const server = await startUnsubscribeServer({ db, config, secret: SECRET, port: 0 });
    try {
      const link = new URL(unsubscribeUrl('https://example.org/unsubscribe', SECRET, 'reader@example.com', 'newsletter.example.org'));
      const local = new URL(`${link.pathname}${link.search}`, server.url);

      const confirm = await fetch(local);
      expect(confirm.status).toBe(200);
      const html = await confirm.text();
      expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="ar" dir="rtl">/);
      expect(html).toContain('هل تريد إلغاء اشتراك <bdi dir="ltr">reader@example.com</bdi> في نشرة موقع تجاربنا؟');
      expect(html).toContain('<form class="service-form" method="post">');
      expect(findSubscriber(db, 'reader@example.com')?.state).toBe('active');

      const oneClick = await fetch(local, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(oneClick.status).toBe(200);
      expect(await oneClick.text()).toContain('تم إلغاء اشتراكك في نشرة موقع تجاربنا.');
      expect(findSubscriber(db, 'reader@example.com')?.state).toBe('unsubscribed');

      // A link of the older form (address in clear, HMAC token) whose address was changed.
      const forged = new URL('/unsubscribe', server.url);
      forged.search = new URLSearchParams({ list: 'newsletter.example.org', email: 'other@example.com', token: unsubscribeToken(SECRET, 'reader@example.com', 'newsletter.example.org') }).toString();
      const refused = await fetch(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('هذا الرابط غير صالح أو ناقص.');
      expect(findSubscriber(db, 'other@example.com')?.state).toBe('active');

      const form = await fetch(new URL('/unsubscribe', server.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        // Links sent before issue 11 keep working.
        body: new URLSearchParams({ list: 'newsletter.example.org', email: 'other@example.com', token: unsubscribeToken(SECRET, 'other@example.com', 'newsletter.example.org') }).toString(),
      });
      expect(form.status).toBe(200);
      expect(findSubscriber(db, 'other@example.com')?.state).toBe('unsubscribed');
      expect((await fetch(new URL('/elsewhere', server.url))).status).toBe(404);
    } finally {
      await server.close();
      db.close();
    }
  });
});
