import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { isNoSuchMailbox } from '../../src/send/bounce.js';
import { openDatabase } from '../../src/send/database.js';
import { sendNewsletter, sendStatus } from '../../src/send/send.js';
import { listSubscribers, setSubscriberState, upsertSubscriber } from '../../src/send/subscribers.js';
import { sahifa } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';
import { startSmtpServer, type Refusal, type TestSmtpServer } from '../helpers/smtp.js';

const SECRET = 'test-secret-for-unsubscribe-tokens';
const SLUG = 'talks';

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A copy of the send fixture site with these subscribers (all active unless a state is given). */
async function siteWith(addresses: Record<string, 'active' | 'unsubscribed'>): Promise<string> {
  const root = await copyFixture('send-site');
  const config = await loadConfig(root);
  const db = openDatabase(join(root, config.database));
  for (const [address, state] of Object.entries(addresses)) upsertSubscriber(db, address, { state });
  db.close();
  return root;
}

/** Every subscriber's state, by address. */
async function states(root: string): Promise<Record<string, string>> {
  const config = await loadConfig(root);
  const db = openDatabase(join(root, config.database));
  try {
    return Object.fromEntries(listSubscribers(db).map((subscriber) => [subscriber.email, subscriber.state]));
  } finally {
    db.close();
  }
}

describe('issue 11: a reply saying the mailbox does not exist', () => {
  it.each([
    ['550 5.1.1 <reader@example.com>: Recipient address rejected: User unknown', 'RCPT TO'],
    ['550 5.1.2 Host unknown', 'RCPT TO'],
    ['553 5.1.3 Bad destination mailbox address syntax', 'RCPT TO'],
    ['551 5.1.6 Mailbox has moved', 'RCPT TO'],
    ['556 5.1.10 Recipient address has null MX', 'RCPT TO'],
    ['550-5.1.1 The email account that you tried to reach does not exist.\n550 5.1.1 https://support.example/?p=NoSuchUser', 'RCPT TO'],
    ['550 5.1.1 No such user', 'DATA'],
    ['550 5.1.1', 'rcpt to'],
  ])('%j to %s marks the subscriber bounced', (reply, command) => {
    expect(isNoSuchMailbox(reply, command)).toBe(true);
  });

  it.each([
    ['550 5.7.1 Relaying denied', 'RCPT TO', 'a policy refusal'],
    ['554 5.7.1 Message rejected as spam', 'DATA', 'a content refusal'],
    ['552 5.2.2 Mailbox full', 'RCPT TO', 'a full mailbox (5.2.x)'],
    ['550 No such user here', 'RCPT TO', 'no enhanced status code'],
    ['550 Rejected, see 5.1.1 in our policy', 'RCPT TO', '5.1.1 only in free text'],
    ['450 4.1.1 Mailbox temporarily unavailable', 'RCPT TO', 'a deferral'],
    ['450 5.1.1 inconsistent', 'RCPT TO', 'a 4xx basic code'],
    ['550 5.1.8 Sender address domain does not exist', 'RCPT TO', "the sender's domain (5.1.8)"],
    ['553 5.1.7 Bad sender mailbox syntax', 'RCPT TO', "the sender's syntax (5.1.7)"],
    ['550 5.1.1 <newsletter@example.org> unknown', 'MAIL FROM', 'a reply to MAIL FROM'],
    ['550 5.1.1 unknown', undefined, 'no command'],
    ['550 5.1.1x unknown', 'RCPT TO', 'a malformed code'],
    ['550 5.1.1234 unknown', 'RCPT TO', 'a detail of four digits'],
    [' 550 5.1.1 unknown', 'RCPT TO', 'leading space'],
  ] as Array<[string, string | undefined, string]>)('%j to %s leaves the subscriber active (%s)', (reply, command) => {
    expect(isNoSuchMailbox(reply, command)).toBe(false);
  });
});

describe('issue 11: bounces in a send over real SMTP', () => {
  it('marks 5.1.x recipients bounced, keeps other 5xx as failed deliveries only, and never mails a bounced subscriber again', async () => {
    const refusals: Record<string, Refusal> = {
      'gone@example.com': { code: 550, message: '5.1.1 <gone@example.com>: Recipient address rejected: User unknown' },
      'nodomain@example.com': { code: 550, message: '5.1.2 Host or domain name not found' },
      'policy@example.com': { code: 550, message: '5.7.1 Delivery not authorized' },
      'plain@example.com': { code: 550, message: 'No such user here' },
      'sender@example.com': { code: 550, message: '5.1.8 Sender address rejected: Domain not found' },
      'later@example.com': { code: 450, message: '4.1.1 Mailbox temporarily unavailable' },
      'left@example.com': { code: 550, message: '5.1.1 User unknown' },
    };
    server = await startSmtpServer({ refuse: (address) => refusals[address] });
    const root = await siteWith({
      'ok@example.com': 'active',
      'gone@example.com': 'active',
      'nodomain@example.com': 'active',
      'policy@example.com': 'active',
      'plain@example.com': 'active',
      'sender@example.com': 'active',
      'later@example.com': 'active',
      'left@example.com': 'unsubscribed',
    });
    const report = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET, retryDelayMs: 1 });
    expect(report).toMatchObject({ sent: 1, failed: 6, bounced: 2, unknown: 0, retries: 2 });
    expect(server.received.map((message) => message.to)).toEqual([['ok@example.com']]);
    expect(await states(root)).toEqual({
      'ok@example.com': 'active',
      'gone@example.com': 'bounced',
      'nodomain@example.com': 'bounced',
      'policy@example.com': 'active',
      'plain@example.com': 'active',
      'sender@example.com': 'active',
      'later@example.com': 'active',
      'left@example.com': 'unsubscribed',
    });
    const status = await sendStatus(root, SLUG);
    expect(status?.counts).toEqual({ sent: 1, failed: 6 });
    expect(status?.problems).toContainEqual({ email: 'gone@example.com', state: 'failed', attempts: 1, response: expect.stringMatching(/^550 5\.1\.1 /) });
    expect(status?.problems).toContainEqual({ email: 'policy@example.com', state: 'failed', attempts: 1, response: expect.stringMatching(/^550 5\.7\.1 /) });

    // A later campaign (here the same post sent again as new) leaves the bounced addresses out.
    const config = await loadConfig(root);
    const db = openDatabase(join(root, config.database));
    db.exec('DELETE FROM deliveries; DELETE FROM campaigns;');
    db.close();
    const next = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET, retryDelayMs: 1 });
    expect(next).toMatchObject({ bounced: 0 });
    const tried = new Set((await sendStatus(root, SLUG))!.problems.map((problem) => problem.email));
    expect(tried.has('gone@example.com')).toBe(false);
    expect(tried.has('nodomain@example.com')).toBe(false);
    expect(tried.has('policy@example.com')).toBe(true);
  });

  it('marks nobody bounced when the server refuses our own sender with 5.1.x', async () => {
    server = await startSmtpServer({
      server: {
        onMailFrom(_address, _session, callback) {
          callback(Object.assign(new Error('5.1.1 <newsletter@example.org>: Sender address rejected: User unknown in local table'), { responseCode: 550 }));
        },
      },
    });
    const root = await siteWith({ 'a@example.com': 'active', 'b@example.com': 'active' });
    const report = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET, retryDelayMs: 1 });
    expect(report).toMatchObject({ sent: 0, failed: 2, bounced: 0, unknown: 0, retries: 0 });
    expect(await states(root)).toEqual({ 'a@example.com': 'active', 'b@example.com': 'active' });
  });

  it('keeps an unsubscribe made while the message was in flight: a bounce never turns unsubscribed into bounced', async () => {
    let root = '';
    server = await startSmtpServer({
      refuse: (address) => {
        if (address !== 'gone@example.com') return undefined;
        // The reader unsubscribes (another process, another connection) before the server answers.
        const db = openDatabase(join(root, '.sahifa/sahifa.db'));
        setSubscriberState(db, address, 'unsubscribed');
        db.close();
        return { code: 550, message: '5.1.1 User unknown' };
      },
    });
    root = await siteWith({ 'gone@example.com': 'active', 'ok@example.com': 'active' });
    const report = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: SECRET });
    expect(report).toMatchObject({ sent: 1, failed: 1, bounced: 0, unknown: 0, retries: 0 });
    expect(await states(root)).toEqual({ 'gone@example.com': 'unsubscribed', 'ok@example.com': 'active' });
  });

  it('says in the summary of sahifa send how many were marked bounced', async () => {
    server = await startSmtpServer({ refuse: (address) => (address === 'gone@example.com' ? { code: 550, message: '5.1.1 User unknown' } : undefined) });
    const root = await siteWith({ 'gone@example.com': 'active', 'ok@example.com': 'active' });
    const run = await sahifa(['send', SLUG], { cwd: root, env: { SAHIFA_SMTP_URL: server.url, SAHIFA_SECRET: SECRET } });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^Sent 1, failed 1 \(1 with no such mailbox, now marked bounced\), unknown 0, skipped 0 in /);
    expect(run.stdout).toContain(`See who and why: sahifa send ${SLUG} --status`);
  });
});
