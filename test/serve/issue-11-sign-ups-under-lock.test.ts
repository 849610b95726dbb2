import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findSubscriber } from '../../src/send/subscribers.js';
import { holdDatabaseLock } from '../helpers/lock-database.js';
import { SITE_ORIGIN, startServeSite } from './serve-site.js';

/** A subscribe request over a raw socket whose client half-closes right after the body, as some clients do. */
async function halfClosedSubscribe(url: string, address: string): Promise<string> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  const closed = once(socket, 'close');
  const body = new URLSearchParams({ email: address, website: '' }).toString();
  socket.end(`POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${SITE_ORIGIN}\r\nAccept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  await closed;
  return answer;
}

describe('issue 11: sign-ups wait for a lock without stopping the service', () => {
  it('keeps answering while another process holds the write lock: the sign-ups wait on timers, /healthz answers meanwhile, and all commit once the lock is gone', async () => {
    const site = await startServeSite();
    const lock = await holdDatabaseLock(site.db.name);
    let held = true;
    try {
      const addresses = Array.from({ length: 10 }, (_, index) => `waiting${index}@example.com`);
      const answers = Promise.all(addresses.map((address) => site.subscribe(address)));
      const halfClosed = halfClosedSubscribe(site.server.url, 'half@example.com');
      let answered = false;
      void answers.then(() => (answered = true));
      // The request thread is not blocked by the lock (no wait inside SQLite): a read answers while the writes wait.
      for (let i = 0; i < 3; i += 1) {
        const health = await fetch(new URL('/healthz', site.server.url));
        expect(health.status).toBe(200);
      }
      expect(answered).toBe(false);
      expect(findSubscriber(site.db, 'waiting0@example.com')).toBeUndefined();
      await lock.release();
      held = false;
      expect((await answers).map((answer) => answer.status)).toEqual(addresses.map(() => 200));
      // A client that shut its side after sending still gets the answer, once the commit is done.
      expect(await halfClosed).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*"ok":true/);
      for (const address of [...addresses, 'half@example.com']) expect(findSubscriber(site.db, address)?.state).toBe('pending');
      expect(site.db.prepare("SELECT count(*) FROM outbox WHERE kind = 'confirm'").pluck().get()).toBe(11);
      await site.server.settled();
      expect(site.smtp.received.map((message) => message.to[0]).sort()).toEqual([...addresses, 'half@example.com'].sort());
    } finally {
      if (held) await lock.release();
      await site.close();
    }
  });

  it('answers 503 with Retry-After when the lock outlasts the patience (the busy error reaches the answer), and the retry then works', async () => {
    const site = await startServeSite({ patience: 300, retryAfter: 30 });
    const lock = await holdDatabaseLock(site.db.name);
    try {
      const busy = await site.subscribe('later@example.com', { headers: { Accept: 'application/json' } });
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('30');
      expect(((await busy.json()) as { ok: boolean }).ok).toBe(false);
      expect(site.log.some((line) => line.includes('database busy'))).toBe(true);
    } finally {
      await lock.release();
    }
    try {
      expect((await site.subscribe('later@example.com')).status).toBe(200);
      expect(findSubscriber(site.db, 'later@example.com')?.state).toBe('pending');
    } finally {
      await site.close();
    }
  });
});
