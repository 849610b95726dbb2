import { connect } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { setSubscriberState, upsertSubscriber, findSubscriber, listSubscribers } from '../../src/send/subscribers.js';
import { startServer } from '../../src/serve/server.js';
import { confirmToken, unsubscribeClaimToken } from '../../src/serve/tokens.js';
import { copyFixture } from '../helpers/site.js';
import { linkIn, SECRET, startServeSite, type ServeSite } from './serve-site.js';

let site: ServeSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

const JSON_HEADERS = { Accept: 'application/json' };
const CONFIRM_PREFIX = 'https://example.org/newsletter/confirm?token=';

describe('issue 11: tokens that are forged, altered, expired or for something else', () => {
  it('confirms only with a genuine, unexpired confirmation token', async () => {
    site = await startServeSite();
    await site.subscribe('reader@example.com');
    await site.server.settled();
    const link = linkIn(String(site.smtp.received[0]!.parsed.html), CONFIRM_PREFIX);
    const token = new URL(link).searchParams.get('token')!;
    const nonce = (site.db.prepare('SELECT nonce FROM consents').pluck().get() as string);
    const confirmAt = (value: string) => fetch(new URL(`/confirm?token=${encodeURIComponent(value)}`, site!.server.url), { method: 'POST' });
    const altered = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    const cases: Array<[string, string, number]> = [
      ['forged', 'x'.repeat(80), 400],
      ['altered', altered, 400],
      ['truncated', token.slice(0, -4), 400],
      ['empty', '', 400],
      ['an unsubscribe token', unsubscribeClaimToken(SECRET, { address: 'reader@example.com', list: 'newsletter.example.org' }), 400],
      ['signed with another secret', confirmToken('another-secret-that-is-long-enough-to-sign', { address: 'reader@example.com', nonce, expires: 4e9 }), 400],
      ['for another address', confirmToken(SECRET, { address: 'someone@example.com', nonce, expires: 4e9 }), 400],
      ['expired', confirmToken(SECRET, { address: 'reader@example.com', nonce, expires: Math.floor(Date.now() / 1000) - 1 }), 410],
    ];
    for (const [name, value, status] of cases) {
      const answer = await confirmAt(value);
      expect(answer.status, name).toBe(status);
      const text = await answer.text();
      expect(text, name).toContain(status === 410 ? 'انتهت صلاحية رابط التأكيد' : 'رابط التأكيد هذا غير صالح');
      expect(findSubscriber(site.db, 'reader@example.com')?.state, name).toBe('pending');
    }
    // The genuine one still works.
    expect((await confirmAt(token)).status).toBe(200);
    expect(findSubscriber(site.db, 'reader@example.com')?.state).toBe('active');
  });

  it('unsubscribes only with a genuine token for this list', async () => {
    site = await startServeSite();
    upsertSubscriber(site.db, 'reader@example.com');
    const good = unsubscribeClaimToken(SECRET, { address: 'reader@example.com', list: 'newsletter.example.org' });
    const altered = `${good.slice(0, 30)}${good[30] === 'A' ? 'B' : 'A'}${good.slice(31)}`;
    const bad = [
      'forged-token-forged-token-forged-token-forged-token',
      altered,
      unsubscribeClaimToken(SECRET, { address: 'reader@example.com', list: 'newsletter.other.org' }),
      confirmToken(SECRET, { address: 'reader@example.com', nonce: 'n', expires: 4e9 }),
    ];
    for (const token of bad) {
      const answer = await fetch(new URL(`/newsletter/unsubscribe?token=${token}`, site.server.url), { method: 'POST', body: 'List-Unsubscribe=One-Click' });
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain('هذا الرابط غير صالح أو ناقص.');
    }
    expect(findSubscriber(site.db, 'reader@example.com')?.state).toBe('active');
  });
});

describe('issue 11: what the subscribe endpoint refuses', () => {
  it('refuses malformed addresses with 400, in JSON and as a page, recording and sending nothing', async () => {
    site = await startServeSite();
    const malformed = ['', ' ', 'no-at-sign', 'a@b', 'a@@example.com', '@example.com', 'a@', 'x@-bad-.com', 'a\r\nBcc: victim@example.com@x.com', `${'a'.repeat(300)}@example.com`, 'a@example..com', '<script>@x.com'];
    for (const address of malformed) {
      const json = await site.subscribe(address, { headers: JSON_HEADERS });
      expect(json.status, address).toBe(400);
      expect(await json.json()).toEqual({ ok: false, error: 'لا يبدو هذا عنوان بريد إلكتروني صحيحًا. تحقق منه وأعد المحاولة.' });
    }
    const page = await site.subscribe('<script>alert(1)</script>');
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('لا يبدو هذا عنوان بريد إلكتروني صحيحًا');
    expect(html).not.toContain('<script>alert');
    await site.server.settled();
    expect(listSubscribers(site.db)).toEqual([]);
    expect(site.smtp.received).toEqual([]);
  });

  it('refuses an oversized body with 413, declared or streamed, and a body that is no form', async () => {
    site = await startServeSite();
    const url = new URL('/subscribe', site.server.url);
    const big = `email=big%40example.com&website=&pad=${'x'.repeat(9000)}`;
    const declared = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...JSON_HEADERS }, body: big });
    expect(declared.status).toBe(413);
    expect((await declared.json()).ok).toBe(false);
    // Streamed without Content-Length (chunked): cut off at the limit all the same.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i += 1) controller.enqueue(new TextEncoder().encode(i === 0 ? 'email=big%40example.com&pad=' : 'y'.repeat(1000)));
        controller.close();
      },
    });
    const chunked = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    const notJson = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...JSON_HEADERS }, body: '{"email": ' });
    expect(notJson.status).toBe(400);
    const array = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...JSON_HEADERS }, body: '["a@example.com"]' });
    expect(array.status).toBe(400);
    const other = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x', ...JSON_HEADERS }, body: '--x--' });
    expect(other.status).toBe(415);
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(listSubscribers(site.db)).toEqual([]);
  });

  it('answers a filled honeypot exactly like a real request, and does nothing', async () => {
    site = await startServeSite();
    const bot = await site.subscribe('bot@example.com', { fields: { website: 'https://spam.example' } });
    const person = await site.subscribe('person@example.com');
    expect(bot.status).toBe(200);
    expect(Buffer.from(await bot.arrayBuffer())).toEqual(Buffer.from(await person.arrayBuffer()));
    await site.server.settled();
    expect(listSubscribers(site.db).map((subscriber) => subscriber.email)).toEqual(['person@example.com']);
    expect(site.smtp.received.map((message) => message.to)).toEqual([['person@example.com']]);
  });

  it('refuses a post from another site\'s page (Origin), and takes one from the site or the service itself', async () => {
    site = await startServeSite();
    for (const origin of ['https://evil.example', 'null', 'https://example.org.evil.example', 'http://example.org']) {
      const answer = await site.subscribe('reader@example.com', { headers: { Origin: origin, ...JSON_HEADERS } });
      expect(answer.status, origin).toBe(403);
      expect(await answer.json()).toEqual({ ok: false, error: 'لا يُقبل هذا النموذج إلا من صفحات موقع تجاربنا.' });
    }
    expect(listSubscribers(site.db)).toEqual([]);
    expect((await site.subscribe('reader@example.com', { headers: { Origin: new URL(site.server.url).origin } })).status).toBe(200);
    // No Origin at all: no browser's form (curl, a script on a server): accepted.
    const bare = await fetch(new URL('/subscribe', site.server.url), { method: 'POST', body: new URLSearchParams({ email: 'curl@example.com' }) });
    expect(bare.status).toBe(200);
  });

  it('links back only to a page of the site: a hostile `page` or Referer falls back to the site\'s address', async () => {
    site = await startServeSite();
    for (const page of ['javascript:alert(1)', 'https://evil.example/phish', 'data:text/html,<b>x</b>', '//evil.example/', 'https://example.org.evil.example/']) {
      const html = await (await site.subscribe(`p${page.length}@example.com`, { fields: { page }, headers: { Referer: page.startsWith('http') ? page : 'https://evil.example/' } })).text();
      expect(html, page).toContain('<p><a href="https://example.org/">العودة إلى الصفحة</a></p>');
      expect(html).not.toContain('evil');
      expect(html).not.toContain('javascript:');
    }
    expect(site.db.prepare('SELECT DISTINCT page FROM consents').pluck().all()).toEqual([null]);
  });

  it('gives the same bytes for a new, pending, active, unsubscribed and bounced address', async () => {
    site = await startServeSite();
    upsertSubscriber(site.db, 'active@example.com');
    upsertSubscriber(site.db, 'left@example.com');
    setSubscriberState(site.db, 'left@example.com', 'unsubscribed');
    upsertSubscriber(site.db, 'bounced@example.com', { state: 'bounced' });
    await site.subscribe('pending@example.com');
    const addresses = ['new@example.com', 'pending@example.com', 'active@example.com', 'left@example.com', 'bounced@example.com'];
    for (const headers of [{}, JSON_HEADERS]) {
      const bodies = await Promise.all(addresses.map(async (address) => {
        const answer = await site!.subscribe(address, { headers });
        expect(answer.status, address).toBe(200);
        return { headers: [...answer.headers].filter(([name]) => name !== 'date' && name !== 'keep-alive' && name !== 'connection'), body: Buffer.from(await answer.arrayBuffer()) };
      }));
      for (const other of bodies.slice(1)) {
        expect(other.body.equals(bodies[0]!.body)).toBe(true);
        expect(other.headers).toEqual(bodies[0]!.headers);
      }
    }
    await site.server.settled();
    // Only the active subscriber got no confirmation.
    expect(site.smtp.received.flatMap((message) => message.to).filter((to) => to === 'active@example.com')).toEqual([]);
    expect(findSubscriber(site.db, 'left@example.com')?.state).toBe('unsubscribed');
  });
});

describe('issue 11: rate limits and slow clients', () => {
  it('answers a burst from one IP with 429 and Retry-After, per client behind a local proxy', async () => {
    site = await startServeSite({ limits: { perIp: 5, perAddress: 100 } });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await site.subscribe(`burst${i}@example.com`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const limited = await site.subscribe('late@example.com', { headers: JSON_HEADERS });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({ ok: false, error: 'وصلتنا طلبات كثيرة في وقت قصير. أعد المحاولة لاحقًا.' });
    // Another client through the proxy on this machine has its own count; what the client itself put first does not count.
    expect((await site.subscribe('other-client@example.com', { headers: { 'X-Forwarded-For': '203.0.113.9' } })).status).toBe(200);
    expect((await site.subscribe('spoof@example.com', { headers: { 'X-Forwarded-For': '203.0.113.77, 127.0.0.1' } })).status).toBe(429);
    await site.server.settled();
    expect(site.smtp.received).toHaveLength(6);
  });

  it('sends at most perAddress confirmations to one address, whatever its state', async () => {
    site = await startServeSite({ limits: { perIp: 100, perAddress: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await site.subscribe(i % 2 ? 'Victim@Example.com' : 'victim@example.com')).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    await site.server.settled();
    expect(site.smtp.received).toHaveLength(2);
  });

  it('drops a client that sends its request too slowly, and keeps answering others', async () => {
    site = await startServeSite({ requestTimeoutMs: 300 });
    const { port } = new URL(site.server.url);
    const slow = connect(Number(port), '127.0.0.1');
    slow.on('error', () => undefined);
    await once(slow, 'connect');
    slow.write('POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=');
    let answer = '';
    slow.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    await once(slow, 'close');
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    expect((await fetch(new URL('/healthz', site.server.url))).status).toBe(200);
    expect(listSubscribers(site.db)).toEqual([]);
  });
});

describe('issue 11: start-up problems are one line', () => {
  it('names SAHIFA_SECRET (missing or short), SAHIFA_SMTP_URL, serve.url and the busy port', async () => {
    const root = await copyFixture('serve-site');
    await expect(startServer({ root, secret: undefined, smtpUrl: 'smtp://127.0.0.1:2525', port: 0 })).rejects.toThrow(/^set SAHIFA_SECRET in the environment: at least 32 random bytes/);
    await expect(startServer({ root, secret: 'short', smtpUrl: 'smtp://127.0.0.1:2525', port: 0 })).rejects.toThrow('SAHIFA_SECRET is 5 bytes long: it needs at least 32');
    await expect(startServer({ root, secret: SECRET, port: 0 })).rejects.toThrow(/^set SAHIFA_SMTP_URL in the environment/);
    await expect(startServer({ root, secret: SECRET, smtpUrl: 'http://x', port: 0 })).rejects.toThrow(/^SAHIFA_SMTP_URL/);
    site = await startServeSite();
    const { port } = new URL(site.server.url);
    const busy = startServer({ root, secret: SECRET, smtpUrl: site.smtp.url, port: Number(port) });
    await expect(busy).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    for (const error of await Promise.allSettled([busy])) if (error.status === 'rejected') expect(String((error.reason as Error).message)).not.toContain('\n');
  });
});
