import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { openDatabase } from '../../src/send/database.js';
import { dryRun, sendNewsletter, sendStatus, sendTestCopy } from '../../src/send/send.js';
import { upsertSubscriber, setSubscriberState } from '../../src/send/subscribers.js';
import { readUnsubscribeToken } from '../../src/serve/tokens.js';
import { copyFixture, snapshot } from '../helpers/site.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const SECRET = 'test-secret-for-unsubscribe-tokens';
const SLUG = 'talks';
const SUBJECT = 'تعلق روسيا على أحدث المحادثات معنا – RT World News';

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A copy of the send fixture site with `count` active subscribers. */
async function siteWith(count: number): Promise<string> {
  const root = await copyFixture('send-site');
  const config = await loadConfig(root);
  const db = openDatabase(join(root, config.database));
  db.transaction(() => {
    for (let index = 0; index < count; index += 1) upsertSubscriber(db, `reader${index}@example.com`, { name: `قارئ ${index}` });
  })();
  db.close();
  return root;
}

/** Decodes an RFC 2047 Q-encoded word (`=?UTF-8?Q?…?=`), which mailparser leaves as it is in List-ID. */
function decodeQWord(word: string): string {
  const body = /^=\?UTF-8\?Q\?(.*)\?=$/i.exec(word)?.[1] ?? word;
  return Buffer.from(body.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}

/** Every raw header line of a name (unfolded), as the message carried it. */
function headerLines(message: { parsed: { headerLines: ReadonlyArray<{ key: string; line: string }> } }, name: string): string[] {
  return message.parsed.headerLines.filter((line) => line.key === name).map((line) => line.line.replace(/\r?\n\s+/g, ' '));
}

describe('sending the newsletter over real SMTP (issue 4)', () => {
  it('gives 500 subscribers exactly one message each, with both parts, the list headers and their own token', { timeout: 300_000 }, async () => {
    server = await startSmtpServer();
    const root = await siteWith(500);
    const report = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET });
    expect(report).toMatchObject({ sent: 500, failed: 0, unknown: 0, skipped: 0, retries: 0 });
    expect(server.received).toHaveLength(500);
    const byRecipient = new Map<string, number>();
    for (const message of server.received) for (const to of message.to) byRecipient.set(to, (byRecipient.get(to) ?? 0) + 1);
    expect(byRecipient.size).toBe(500);
    expect(new Set(byRecipient.values())).toEqual(new Set([1]));
    const messageIds = new Set(server.received.map((message) => message.parsed.messageId));
    expect(messageIds.size).toBe(500);
    for (const message of server.received) {
      const [recipient] = message.to;
      const { parsed } = message;
      expect(parsed.subject).toBe(SUBJECT);
      expect(parsed.from?.value).toEqual([{ name: 'موقع تجاربنا', address: 'newsletter@example.org' }]);
      expect(parsed.replyTo?.value).toEqual([{ name: '', address: 'editor@example.org' }]);
      expect(headerLines(message, 'content-type')[0]).toMatch(/^Content-Type: multipart\/alternative;/);
      expect(parsed.text).toContain('قالت وزارة الخارجية في موسكو');
      expect(parsed.html).toContain('dir="rtl"');
      expect(String(parsed.html)).not.toContain('[[');
      expect(parsed.text).not.toContain('[[');
      expect(headerLines(message, 'list-unsubscribe-post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
      expect(headerLines(message, 'list-id')).toEqual([expect.stringMatching(/^List-ID: .+ <newsletter\.example\.org>$/)]);
      const listUnsubscribe = headerLines(message, 'list-unsubscribe');
      expect(listUnsubscribe).toHaveLength(1);
      const unsubscribe = /^List-Unsubscribe: <(https:\/\/example\.org\/unsubscribe\?[^>]+)>, <mailto:newsletter@example\.org\?subject=unsubscribe>$/.exec(listUnsubscribe[0]!)?.[1];
      expect(unsubscribe, listUnsubscribe[0]).toBeDefined();
      const listId = (parsed.headers.get('list') as { id: { id: string; name: string } }).id;
      expect(listId.id).toBe('newsletter.example.org');
      expect(decodeQWord(listId.name)).toBe('موقع تجاربنا');
      const url = new URL(unsubscribe!);
      // Issue 11: the token is opaque, the address is not in the URL.
      expect([...url.searchParams.keys()]).toEqual(['token']);
      expect(readUnsubscribeToken(SECRET, url.searchParams.get('token')!)).toEqual({ address: recipient, list: 'newsletter.example.org' });
      expect(String(parsed.html)).toContain(`href="${unsubscribe!.replaceAll('&', '&amp;')}"`);
      expect(parsed.text).toContain(`إلغاء الاشتراك: ${unsubscribe}`);
      expect(parsed.text).toContain(`بالعنوان ${recipient}.`);
    }
    const status = await sendStatus(root, SLUG);
    expect(status?.counts).toEqual({ sent: 500 });
    expect(status?.completedAt).not.toBeNull();
    const again = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET });
    expect(again).toMatchObject({ sent: 0, skipped: 500 });
    expect(server.received).toHaveLength(500);
  });

  it('retries recipients the server defers with 451, and records a 550 as failed with the reply', async () => {
    server = await startSmtpServer({
      refuse: (address, attempt) => {
        if (address.startsWith('reader1@') || address.startsWith('reader2@')) return attempt < 3 ? { code: 451, message: 'greylisted, try again later' } : undefined;
        if (address.startsWith('reader3@')) return { code: 550, message: 'no such mailbox here' };
        return undefined;
      },
    });
    const root = await siteWith(6);
    const report = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET, retryDelayMs: 20 });
    expect(report).toMatchObject({ sent: 5, failed: 1, unknown: 0, retries: 4 });
    expect(server.received.map((message) => message.to[0]).sort()).toEqual(
      ['reader0@example.com', 'reader1@example.com', 'reader2@example.com', 'reader4@example.com', 'reader5@example.com'].sort(),
    );
    const status = await sendStatus(root, SLUG);
    expect(status?.counts).toEqual({ failed: 1, sent: 5 });
    expect(status?.problems).toEqual([{ email: 'reader3@example.com', state: 'failed', attempts: 1, response: expect.stringMatching(/^550 no such mailbox here/) }]);
    const config = await loadConfig(root);
    const db = openDatabase(join(root, config.database));
    const attempts = db.prepare('SELECT s.email AS email, d.attempts AS attempts FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id ORDER BY s.id').all();
    db.close();
    expect(attempts).toEqual([
      { email: 'reader0@example.com', attempts: 1 },
      { email: 'reader1@example.com', attempts: 3 },
      { email: 'reader2@example.com', attempts: 3 },
      { email: 'reader3@example.com', attempts: 1 },
      { email: 'reader4@example.com', attempts: 1 },
      { email: 'reader5@example.com', attempts: 1 },
    ]);
  });

  it('gives up on a deferred recipient after maxAttempts', async () => {
    server = await startSmtpServer({ refuse: (address) => (address.startsWith('reader0@') ? { code: 452, message: 'mailbox full' } : undefined) });
    const root = await siteWith(2);
    const report = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET, retryDelayMs: 5 });
    expect(report).toMatchObject({ sent: 1, failed: 1, retries: 2 });
    expect((await sendStatus(root, SLUG))?.problems[0]).toMatchObject({ email: 'reader0@example.com', state: 'failed', attempts: 3 });
  });

  it('skips subscribers who left, sends a test copy outside the campaign, and rehearses with --dry-run', async () => {
    server = await startSmtpServer();
    const root = await siteWith(3);
    const config = await loadConfig(root);
    const db = openDatabase(join(root, config.database));
    setSubscriberState(db, 'reader1@example.com', 'unsubscribed');
    db.close();

    const rehearsal = await dryRun({ root, slug: SLUG, secret: SECRET });
    expect(rehearsal).toMatchObject({ wouldSend: 2, alreadyDone: 0 });
    expect(server.received).toHaveLength(0);
    expect(await sendStatus(root, SLUG)).toBeUndefined();

    const copy = await sendTestCopy({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET }, 'editor@example.org');
    expect(copy.status).toBe('sent');
    expect(server.received[0]?.parsed.subject).toBe(`[Test] ${SUBJECT}`);
    expect(server.received[0]?.to).toEqual(['editor@example.org']);
    expect(await sendStatus(root, SLUG)).toBeUndefined();

    const report = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET });
    expect(report).toMatchObject({ sent: 2, skipped: 0 });
    expect(server.received.slice(1).map((message) => message.to[0]).sort()).toEqual(['reader0@example.com', 'reader2@example.com']);
    expect(await dryRun({ root, slug: SLUG, secret: SECRET })).toMatchObject({ wouldSend: 0, alreadyDone: 2 });
  });

  it('changes nothing anywhere in a dry run: an email not yet built is built in memory, a missing database is not created', async () => {
    const bare = await copyFixture('send-site');
    const untouched = await snapshot(bare);
    expect(await dryRun({ root: bare, slug: SLUG, secret: SECRET })).toEqual({ wouldSend: 0, alreadyDone: 0, largestHtmlBytes: 0 });
    expect(await snapshot(bare)).toEqual(untouched);
    const root = await siteWith(2);
    const before = await snapshot(root);
    const rehearsal = await dryRun({ root, slug: SLUG, secret: SECRET });
    expect(rehearsal).toMatchObject({ wouldSend: 2, alreadyDone: 0 });
    expect(rehearsal.largestHtmlBytes).toBeGreaterThan(10_000);
    expect(await snapshot(root)).toEqual(before);
  });

  it('stops with a clear error when the server cannot be reached, and keeps every delivery for later', async () => {
    const root = await siteWith(3);
    await expect(sendNewsletter({ root, slug: SLUG, smtpUrl: 'smtp://127.0.0.1:9', secret: SECRET })).rejects.toThrow(/cannot send through the SMTP server at 127\.0\.0\.1:9: .*ECONNREFUSED.*; check SAHIFA_SMTP_URL/);
    expect((await sendStatus(root, SLUG))?.counts).toEqual({ pending: 3 });
  });

  it('keeps a title with line breaks to one subject line (no header injection) and signs with DKIM', async () => {
    server = await startSmtpServer();
    const root = await siteWith(1);
    const post = join(root, 'posts', '2025-02-28-talks.md');
    await writeFile(post, (await readFile(post, 'utf8')).replace(/^title: .*$/m, 'title: "عنوان\\r\\nBcc: victim@example.com"'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    await writeFile(join(root, 'dkim.pem'), privateKey);
    const configPath = join(root, 'sahifa.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { send: Record<string, unknown> };
    config.send.dkim = { domainName: 'example.org', keySelector: 'sahifa', privateKeyFile: 'dkim.pem' };
    await writeFile(configPath, JSON.stringify(config));
    await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET });
    const [message] = server.received;
    expect(message?.parsed.subject).toBe('عنوان Bcc: victim@example.com');
    expect(message?.parsed.bcc).toBeUndefined();
    expect(message?.to).toEqual(['reader0@example.com']);
    expect(headerLines(message!, 'dkim-signature')).toEqual([expect.stringMatching(/^DKIM-Signature: v=1; a=rsa-sha256; .*d=example\.org; .*s=sahifa;/)]);
  });

  it('refuses a second send of a post while another process is sending it', async () => {
    server = await startSmtpServer();
    const root = await siteWith(2);
    await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET });
    const other = spawn('sleep', ['30']);
    try {
      const config = await loadConfig(root);
      const db = openDatabase(join(root, config.database));
      db.prepare('UPDATE campaigns SET run_pid = ?').run(other.pid);
      db.close();
      await expect(sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET })).rejects.toThrow(
        `another sahifa send of this post is running (process ${other.pid})`,
      );
    } finally {
      other.kill();
    }
    await once(other, 'exit');
    expect(await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET })).toMatchObject({ sent: 0, skipped: 2 });
  });

  it('refuses to send without a secret, a server or an unsubscribe page', async () => {
    const root = await siteWith(1);
    await expect(sendNewsletter({ root, slug: SLUG, smtpUrl: 'smtp://127.0.0.1:9' })).rejects.toThrow('set SAHIFA_SECRET in the environment');
    await expect(sendNewsletter({ root, slug: SLUG, secret: SECRET })).rejects.toThrow('set SAHIFA_SMTP_URL in the environment');
    await expect(sendNewsletter({ root, slug: 'no-such-post', smtpUrl: 'smtp://127.0.0.1:9', secret: SECRET })).rejects.toThrow('there is no post "no-such-post"');
  });
});
