import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { openDatabase, type SahifaDatabase } from '../../src/send/database.js';
import { freePort } from '../helpers/free-port.js';
import { BIN } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { SECRET, SITE_ORIGIN, startServeSite } from './serve-site.js';

/** Waits (without a deadline of its own; the test's timeout is the bound) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}

/** `sahifa serve` as a child process, resolved once it listens. */
async function startChild(root: string, port: number, smtpUrl: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--root', root, '--port', String(port)], {
    env: { ...process.env, NO_COLOR: '1', SAHIFA_SECRET: SECRET, SAHIFA_SMTP_URL: smtpUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((ready, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl+C stops.')) ready();
    });
    child.on('exit', () => fail(new Error(`sahifa serve stopped: ${output}`)));
  });
  return { child, output: () => output };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

const subscribe = (port: number, address: string) =>
  fetch(`http://127.0.0.1:${port}/newsletter/subscribe`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', Origin: SITE_ORIGIN },
    body: new URLSearchParams({ email: address, website: '' }).toString(),
  });

type OutboxState = { state: string; attempts: number; link: string | null };
const outbox = (db: SahifaDatabase) => db.prepare('SELECT state, attempts, link FROM outbox ORDER BY id').all() as OutboxState[];

/** An SMTP server that keeps each connection waiting for its greeting until `open()`. */
async function gatedSmtp(): Promise<{ smtp: TestSmtpServer; waiting: () => number; open: () => void }> {
  let gateOpen = false;
  const held: Array<() => void> = [];
  const smtp = await startSmtpServer({
    server: {
      onConnect(_session, callback) {
        if (gateOpen) callback();
        else held.push(() => callback());
      },
    },
  });
  return {
    smtp,
    waiting: () => held.length,
    open() {
      gateOpen = true;
      for (const release of held.splice(0)) release();
    },
  };
}

describe('issue 11: confirmation emails wait in an outbox that survives a crash', () => {
  it('sends the confirmation exactly once when the service is killed (SIGKILL) after its answer and before the email left', async () => {
    const root = await copyFixture('serve-site');
    const config = await loadConfig(root);
    const { smtp, waiting, open } = await gatedSmtp();
    const port = await freePort();
    const db = openDatabase(join(root, config.database));
    const first = await startChild(root, port, smtp.url);
    try {
      const answer = await subscribe(port, 'crash@example.com');
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { ok: boolean }).ok).toBe(true);
      // The email is under way: connected, waiting for the server's greeting, nothing of it sent.
      await until(() => waiting() > 0);
      // The row holds what the link's token seals, not a link: the token is made when the email is rendered.
      expect(outbox(db)).toEqual([{ state: 'sending', attempts: 1, link: expect.stringMatching(/^seal:[\w-]+\.\d+$/) }]);
      await stop(first.child, 'SIGKILL');
      open();
      const second = await startChild(root, port, smtp.url);
      await until(() => smtp.received.length > 0);
      await stop(second.child, 'SIGTERM');
      expect(second.child.exitCode).toBe(0);
      expect(smtp.received).toHaveLength(1);
      const [message] = smtp.received;
      expect(message!.to).toEqual(['crash@example.com']);
      expect(message!.parsed.html).toContain('dir="rtl"');
      expect(message!.parsed.text).toContain('/newsletter/confirm?token=');
      // Sent, and the link that could confirm is no longer kept.
      expect(outbox(db)).toEqual([{ state: 'sent', attempts: 2, link: null }]);
      expect(second.output()).not.toContain('crash@');
    } finally {
      await stop(first.child, 'SIGKILL');
      db.close();
      await smtp.close();
    }
  });

  it('never sends again on its own an email the server had whole when the service was killed: it is `unknown`', async () => {
    const root = await copyFixture('serve-site');
    const config = await loadConfig(root);
    const smtp = await startSmtpServer({ holdAfter: 0 });
    const port = await freePort();
    const db = openDatabase(join(root, config.database));
    const first = await startChild(root, port, smtp.url);
    try {
      expect((await subscribe(port, 'handed@example.com')).status).toBe(200);
      await until(() => smtp.held > 0);
      expect(outbox(db).map((row) => row.state)).toEqual(['handed']);
      await stop(first.child, 'SIGKILL');
      smtp.release();
      const second = await startChild(root, port, smtp.url);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await stop(second.child, 'SIGTERM');
      expect(outbox(db).map((row) => row.state)).toEqual(['unknown']);
      expect(smtp.completed).toBe(1);
    } finally {
      await stop(first.child, 'SIGKILL');
      db.close();
      await smtp.close();
    }
  });

  it('settled() waits until every due email has gone out at send.rate, even when a slot passes while the outbox is read', async () => {
    const fixture = await loadConfig(await copyFixture('serve-site'));
    const site = await startServeSite({ config: { ...fixture, send: { ...fixture.send, rate: 100, concurrency: 1 } }, limits: { perIp: 1000, perAddress: 1000 } });
    try {
      const addresses = Array.from({ length: 100 }, (_, index) => `burst${index}@example.com`);
      const statuses = await Promise.all(addresses.map(async (address) => (await site.subscribe(address)).status));
      expect(statuses.every((status) => status === 200)).toBe(true);
      await site.server.settled();
      expect(site.db.prepare("SELECT state, count(*) AS n FROM outbox GROUP BY state").all()).toEqual([{ state: 'sent', n: 100 }]);
      expect(site.smtp.received.flatMap((message) => message.to).sort()).toEqual([...addresses].sort());
    } finally {
      await site.close();
    }
  });

  it('retries a deferred email (451) with backoff and sends it once; a refused one (550) fails after one attempt, logged without the address', async () => {
    const site = await startServeSite({}, { refuse: (address, attempt) => (address.startsWith('refused') ? { code: 550, message: 'no thanks' } : attempt === 1 ? { code: 451, message: 'try later' } : undefined) });
    try {
      expect((await site.subscribe('deferred@example.com')).status).toBe(200);
      expect((await site.subscribe('refused@example.com')).status).toBe(200);
      await until(() => site.smtp.received.length > 0);
      await site.server.settled();
      const rows = site.db.prepare('SELECT recipient, state, attempts FROM outbox ORDER BY id').all();
      expect(rows).toEqual([
        { recipient: 'deferred@example.com', state: 'sent', attempts: 2 },
        { recipient: 'refused@example.com', state: 'failed', attempts: 1 },
      ]);
      expect(site.smtp.received.map((message) => message.to)).toEqual([['deferred@example.com']]);
      // The two emails go out at once (send.concurrency), so their lines come in either order.
      expect(site.log.filter((line) => line.includes('email not sent')).sort()).toEqual([expect.stringContaining('confirm email not sent: deferred: 451'), expect.stringContaining('confirm email not sent: failed: 550')]);
      expect(site.log.join('\n')).not.toMatch(/deferred@|refused@/);
    } finally {
      await site.close();
    }
  });
});
