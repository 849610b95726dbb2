import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { BIN } from '../helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { openDatabase } from '../../src/send/database.js';
import { findSubscriber, upsertSubscriber } from '../../src/send/subscribers.js';
import { unsubscribeUrl } from '../../src/send/unsubscribe.js';
import { startUnsubscribeServer, type UnsubscribeServerOptions } from '../../src/serve/unsubscribe-server.js';
import { holdDatabaseLock } from '../helpers/lock-database.js';
import { copyFixture } from '../helpers/site.js';

const SECRET = 'issue-9-lock-secret-of-at-least-32-bytes';
const LIST = 'newsletter.example.org';
const BUSY_TEXT = 'لم نتمكن من تسجيل طلبك الآن، ولم يتغير شيء. أعد المحاولة بعد دقيقة.';
const BAD_LINK_TEXT = 'هذا الرابط غير صالح أو ناقص.';

/** A site with subscribers, its database and an unsubscribe server on a free port. */
async function serve(options: Partial<UnsubscribeServerOptions> = {}) {
  const root = await copyFixture('send-site');
  const config = await loadConfig(root);
  const path = join(root, config.database);
  const db = openDatabase(path);
  for (const address of ['reader@example.com', 'second@example.com']) upsertSubscriber(db, address);
  const server = await startUnsubscribeServer({ db, config, secret: SECRET, port: 0, ...options });
  const linkOf = (address: string) => {
    const link = new URL(unsubscribeUrl('https://example.org/unsubscribe', SECRET, address, LIST));
    return new URL(`${link.pathname}${link.search}`, server.url);
  };
  const oneClick = (address: string) =>
    fetch(linkOf(address), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  return {
    db,
    path,
    linkOf,
    oneClick,
    async close() {
      await server.close();
      db.close();
    },
  };
}

describe('issue 9: an unsubscribe is never lost while another process holds the database', () => {
  it('waits out a lock held for more than 5 s by another process and then unsubscribes', async () => {
    let lock: Awaited<ReturnType<typeof holdDatabaseLock>> | undefined;
    let released: Promise<void> | undefined;
    const waits: number[] = [];
    const site = await serve({
      onBusy: (_attempt, waited) => {
        waits.push(waited);
        if (waited > 5_000 && !released) released = lock?.release();
      },
    });
    try {
      lock = await holdDatabaseLock(site.path);
      const answer = await site.oneClick('reader@example.com');
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('تم إلغاء اشتراكك');
      expect(waits.at(-1)).toBeGreaterThan(5_000);
      expect(findSubscriber(site.db, 'reader@example.com')?.state).toBe('unsubscribed');
      expect(findSubscriber(site.db, 'second@example.com')?.state).toBe('active');
    } finally {
      await (released ?? lock?.release());
      await site.close();
    }
  });

  it('answers 503 with Retry-After, never "invalid link", when the lock outlasts its patience; the retry then works', async () => {
    const site = await serve({ patience: 300, retryAfter: 30 });
    const lock = await holdDatabaseLock(site.path);
    let held = true;
    try {
      const busy = await site.oneClick('reader@example.com');
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('30');
      const page = await busy.text();
      expect(page).toContain(BUSY_TEXT);
      expect(page).not.toContain(BAD_LINK_TEXT);
      expect(findSubscriber(site.db, 'reader@example.com')?.state).toBe('active');

      // The footer's form posts its fields in the body: the same answer.
      const link = site.linkOf('second@example.com');
      const form = await fetch(new URL(link.pathname, link), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: link.searchParams.toString(),
      });
      expect(form.status).toBe(503);
      expect(form.headers.get('retry-after')).toBe('30');

      // Reading still works under a writer's lock (WAL): the confirmation page is shown.
      expect((await fetch(site.linkOf('reader@example.com'))).status).toBe(200);

      await lock.release();
      held = false;
      const retried = await site.oneClick('reader@example.com');
      expect(retried.status).toBe(200);
      expect(findSubscriber(site.db, 'reader@example.com')?.state).toBe('unsubscribed');
      // A second click after success says so again, and changes nothing.
      expect((await site.oneClick('reader@example.com')).status).toBe(200);
      // A GET for someone already unsubscribed shows that, not the question.
      expect(await (await fetch(site.linkOf('reader@example.com'))).text()).toContain('تم إلغاء اشتراكك');
    } finally {
      if (held) await lock.release();
      await site.close();
    }
  });

  it('reports any other database failure (GET and POST) as a server error to retry, not as the reader\'s mistake', async () => {
    const site = await serve();
    site.db.close();
    try {
      const answer = await site.oneClick('reader@example.com');
      expect(answer.status).toBe(500);
      expect(answer.headers.get('retry-after')).toBe('60');
      expect(await answer.text()).not.toContain(BAD_LINK_TEXT);
      const confirm = await fetch(site.linkOf('reader@example.com'));
      expect(confirm.status).toBe(500);
      expect(confirm.headers.get('retry-after')).toBe('60');
      expect(await confirm.text()).toContain(BUSY_TEXT);
      const forged = site.linkOf('reader@example.com');
      forged.searchParams.set('token', 'forged');
      expect((await fetch(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(400);
    } finally {
      await site.close().catch(() => undefined);
    }
    const again = openDatabase(site.path);
    expect(findSubscriber(again, 'reader@example.com')?.state).toBe('active');
    again.close();
  });

  it('`sahifa unsubscribe-server` says once that the database is busy, waits, and then unsubscribes', async () => {
    const root = await copyFixture('send-site');
    const config = await loadConfig(root);
    const path = join(root, config.database);
    const db = openDatabase(path);
    upsertSubscriber(db, 'reader@example.com');
    db.close();
    const server = spawn(process.execPath, [BIN, 'unsubscribe-server', '--port', '0', '--root', root], {
      env: { ...process.env, NO_COLOR: '1', SAHIFA_SECRET: SECRET, SAHIFA_SMTP_URL: 'smtp://127.0.0.1:2525' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(server, 'exit');
    let stdout = '';
    let stderr = '';
    const seen = (stream: 'stdout' | 'stderr', pattern: RegExp) =>
      new Promise<RegExpMatchArray>((found) => {
        const look = () => {
          const match = (stream === 'stdout' ? stdout : stderr).match(pattern);
          if (match) found(match);
        };
        server[stream].on('data', (chunk: Buffer) => {
          if (stream === 'stdout') stdout += chunk.toString();
          else stderr += chunk.toString();
          look();
        });
      });
    const started = seen('stdout', /at (http:\/\/\S+) /);
    const busy = seen('stderr', /busy/);
    const lock = await holdDatabaseLock(path);
    let held = true;
    try {
      const [, base] = await started;
      const link = new URL(unsubscribeUrl('https://example.org/unsubscribe', SECRET, 'reader@example.com', LIST));
      const answer = fetch(new URL(link.search, base), { method: 'POST', body: 'List-Unsubscribe=One-Click' });
      await busy;
      await lock.release();
      held = false;
      expect((await answer).status).toBe(200);
      expect(stderr).toBe('.sahifa/sahifa.db: busy (another process is writing); the request waits and retries\n');
      const after = openDatabase(path);
      expect(findSubscriber(after, 'reader@example.com')?.state).toBe('unsubscribed');
      after.close();
    } finally {
      if (held) await lock.release();
      server.kill('SIGTERM');
      await exited;
    }
  });
});
