import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { openDatabase } from '../../src/send/database.js';
import { sendNewsletter, sendStatus } from '../../src/send/send.js';
import { upsertSubscriber } from '../../src/send/subscribers.js';
import { copyFixture } from '../helpers/site.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const SECRET = 'issue-9-secret';
const SLUG = 'talks';

let server: TestSmtpServer | undefined;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A copy of the send fixture with `count` subscribers and `send` settings merged into its config. */
async function siteWith(count: number, send: Record<string, unknown> = {}): Promise<{ root: string; databasePath: string }> {
  const root = await copyFixture('send-site');
  const configPath = join(root, 'sahifa.config.json');
  const config = JSON.parse(await readFile(configPath, 'utf8')) as { send: Record<string, unknown> };
  config.send = { ...config.send, ...send };
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const databasePath = join(root, (await loadConfig(root)).database);
  const db = openDatabase(databasePath);
  db.transaction(() => {
    for (let index = 0; index < count; index += 1) upsertSubscriber(db, `reader${index}@example.com`);
  })();
  db.close();
  return { root, databasePath };
}

/** How many copies each address got, by what the server accepted. */
function copiesOf(received: TestSmtpServer['received']): Map<string, number> {
  const copies = new Map<string, number>();
  for (const message of received) for (const to of message.to) copies.set(to, (copies.get(to) ?? 0) + 1);
  return copies;
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

describe('issue 9: a send log that cannot be written stops the campaign and mails nobody twice', () => {
  it('stops at once when the write after the server accepted fails (lock held by another connection), and the next run lists that one as unknown', async () => {
    const { root, databasePath } = await siteWith(6, { concurrency: 1 });
    const holder = new Database(databasePath);
    cleanups.push(() => holder.close());
    // The third message: the server takes a write lock on the database just before it answers 250.
    server = await startSmtpServer({ beforeAccept: (index) => index === 2 && holder.exec('BEGIN IMMEDIATE') });
    await expect(sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET, busyTimeout: 2000 })).rejects.toThrow(
      /^could not write to the send log .+sahifa\.db after the server answered \(sent\) to reader2@example\.com \(database is locked\): sending stopped; the record of that message stays true/,
    );
    expect(server.received.map((message) => message.to[0])).toEqual(['reader0@example.com', 'reader1@example.com', 'reader2@example.com']);
    holder.exec('ROLLBACK');

    const next = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET });
    expect(next).toMatchObject({ sent: 3, unknown: 1, skipped: 2 });
    expect([...copiesOf(server.received).values()]).toEqual([1, 1, 1, 1, 1, 1]);
    const status = await sendStatus(root, SLUG);
    expect(status?.counts).toEqual({ sent: 5, unknown: 1 });
    expect(status?.problems).toEqual([{ email: 'reader2@example.com', state: 'unknown', attempts: 1, response: expect.stringContaining('handed to the server') }]);
  });

  it('refuses to start while another process holds the database, sending nothing', async () => {
    const { root, databasePath } = await siteWith(2);
    server = await startSmtpServer();
    // Warm the build so that only the database is in the way.
    await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET });
    const db = openDatabase(databasePath);
    upsertSubscriber(db, 'late@example.com');
    db.close();
    const script = `const D=require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});const d=new D(${JSON.stringify(databasePath)});d.exec('BEGIN EXCLUSIVE');process.stdout.write('locked\\n');setInterval(()=>{},1000);`;
    const other = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => other.kill('SIGKILL'));
    await once(other.stdout!, 'data');
    await expect(sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET, busyTimeout: 2000 })).rejects.toThrow(/^the send log .+sahifa\.db cannot be written \(database is locked\): another process may be holding it, or the disk is full; free it and run sahifa send again$/);
    expect(server.received).toHaveLength(2);
    other.kill('SIGKILL');
    await once(other, 'exit');
    expect(await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET })).toMatchObject({ sent: 1, skipped: 2 });
    expect(server.received.map((message) => message.to[0])).toContain('late@example.com');
  });
});

describe('issue 9: SMTP credentials never travel in clear, and a silent server cannot hold a send', () => {
  it.skipIf(!outsideAddress)('refuses a server off this machine that does not offer STARTTLS, before sending the password', async () => {
    const logins: string[] = [];
    server = await startSmtpServer({
      host: outsideAddress!,
      server: {
        allowInsecureAuth: true,
        onAuth: (auth, _session, callback) => {
          logins.push(auth.username ?? '');
          callback(null, { user: auth.username });
        },
      },
    });
    const { root } = await siteWith(2);
    await expect(sendNewsletter({ root, slug: SLUG, smtpUrl: `smtp://editor:s3cret-pass@${outsideAddress}:${server.port}`, secret: SECRET })).rejects.toThrow(
      `the SMTP server at ${outsideAddress}:${server.port} does not offer STARTTLS, and sahifa does not send a password in clear: use smtps://…:465 in SAHIFA_SMTP_URL, or a server that offers STARTTLS (only a loopback host may go without TLS)`,
    );
    expect(logins).toEqual([]);
    expect(server.received).toEqual([]);
    expect((await sendStatus(root, SLUG))?.counts).toEqual({ pending: 2 });
  });

  it('logs in without TLS on loopback, where the password does not leave the machine', async () => {
    const logins: string[] = [];
    server = await startSmtpServer({
      server: {
        allowInsecureAuth: true,
        onAuth: (auth, _session, callback) => {
          logins.push(`${auth.username}:${auth.password}`);
          callback(null, { user: auth.username });
        },
      },
    });
    const { root } = await siteWith(1);
    const report = await sendNewsletter({ root, slug: SLUG, smtpUrl: `smtp://editor:p%40ss%23word@127.0.0.1:${server.port}`, secret: SECRET });
    expect(report).toMatchObject({ sent: 1 });
    expect(logins).toEqual(['editor:p@ss#word']);
  });

  it('gives up on a server that never answers a whole message (data timeout): unknown, not sent again, and the send ends', async () => {
    // Every message is held after its final dot: nothing races the short timeout, however slow the machine.
    server = await startSmtpServer({ holdAfter: 0 });
    const { root } = await siteWith(2, { concurrency: 1, timeouts: { data: 0.3, socket: 30 } });
    const report = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET });
    expect(report).toMatchObject({ sent: 0, unknown: 2 });
    expect(server.held).toBe(2);
    expect(server.received).toEqual([]);
    const status = await sendStatus(root, SLUG);
    expect(status?.problems.map((problem) => [problem.email, problem.state, problem.response])).toEqual([
      ['reader0@example.com', 'unknown', 'ETIMEDOUT: no reply within 0.3 s after the message was handed over'],
      ['reader1@example.com', 'unknown', 'ETIMEDOUT: no reply within 0.3 s after the message was handed over'],
    ]);
    // Run again: nothing is sent on its own.
    expect(await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET })).toMatchObject({ sent: 0, unknown: 0, skipped: 2 });
    expect(server.held).toBe(2);
  });

  it('gives up on a server that accepts the connection and never greets (greeting timeout), keeping every delivery', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => silent.close(resolve));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const { root } = await siteWith(2, { timeouts: { greeting: 0.3 } });
    await expect(sendNewsletter({ root, slug: SLUG, smtpUrl: `smtp://127.0.0.1:${port}`, secret: SECRET })).rejects.toThrow(
      `the SMTP server at 127.0.0.1:${port} did not answer in time`,
    );
    expect((await sendStatus(root, SLUG))?.counts).toEqual({ pending: 2 });
  });
});
