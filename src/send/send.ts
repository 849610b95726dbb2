import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { SiteConfig } from '../config/schema.js';
import { headerText } from '../render/email/subject.js';
import { findCampaign, runCampaign, type CampaignReport } from './campaign.js';
import { campaignStatus, requeueUnknown, type CampaignStatus } from './campaign-status.js';
import { openSiteDatabase, siteDatabasePath } from './database.js';
import { checkSendable } from './find-post.js';
import { loadBuiltEmail } from './load-email.js';
import { listIdOf, personalize, senderDomain, type SenderSettings } from './personalize.js';
import { createSmtpTransport, type SmtpTimeouts } from './smtp-transport.js';
import { parseSmtpUrl } from './smtp-url.js';
import type { DeliveryOutcome } from './transport.js';

/** Options of {@link sendNewsletter}. */
export interface SendOptions {
  root: string;
  /** Output folder (default `<root>/dist`). */
  out?: string;
  /** The post's slug. */
  slug: string;
  /** SMTP server URL (from `SAHIFA_SMTP_URL`). */
  smtpUrl?: string;
  /** Unsubscribe signing secret (from `SAHIFA_SECRET`). */
  secret?: string;
  /** Override `send.rate`. */
  rate?: number;
  /** Override `send.concurrency`. */
  concurrency?: number;
  /** Override `send.retryDelay`, in milliseconds. */
  retryDelayMs?: number;
  /** Queue the `unknown` deliveries again before sending. */
  retryUnknown?: boolean;
  /** Send a post dated in the future (and keep it in when building). */
  force?: boolean;
  /** Milliseconds to wait for another process's lock on the database (default 30 s). */
  busyTimeout?: number;
  /** Called after each delivery. */
  onProgress?: (done: number, total: number) => void;
}

/** Settings a send needs from the config and the environment, checked. */
function senderSettings(config: SiteConfig, secret: string | undefined): SenderSettings {
  const email = config.email;
  if (!email) throw new Error('sahifa.config.json has no "email" section: add one (see "The newsletter email" in the README)');
  if (!email.from) throw new Error('set "email.from" in sahifa.config.json, e.g. "موقع تجاربنا <newsletter@example.org>"');
  if (!email.unsubscribeUrl) throw new Error('set "serve.url" (the address of sahifa serve, which answers unsubscribes) or "email.unsubscribeUrl" in sahifa.config.json: an https page that unsubscribes (Gmail and Yahoo require one-click unsubscribe)');
  if (!secret) throw new Error('set SAHIFA_SECRET in the environment: it signs the unsubscribe links (any long random string; keep it secret and keep it the same)');
  for (const [key, value] of [['email.from', email.from], ['email.replyTo', email.replyTo ?? '']] as const) {
    if (/[\r\n]/.test(value)) throw new Error(`"${key}" contains a line break`);
  }
  const fromAddress = /<([^>]+)>\s*$/.exec(email.from)?.[1] ?? email.from;
  return {
    from: email.from,
    replyTo: email.replyTo,
    listId: listIdOf(config),
    listName: config.title,
    unsubscribeBase: email.unsubscribeUrl,
    unsubscribeMailto: email.unsubscribeMailto ?? fromAddress,
    secret,
    placeholders: email.placeholders,
  };
}

/** What every kind of send starts from: the site, its sender settings and the built email. */
async function prepareSend(options: SendOptions, secret: string | undefined, dryRun = false) {
  const root = resolve(options.root);
  const config = await loadConfig(root);
  const sender = senderSettings(config, secret);
  await checkSendable(root, config, options.slug, { refuseFuture: !options.force });
  const email = await loadBuiltEmail(root, options.out, options.slug, { future: options.force ?? false, dryRun });
  return { root, config, sender, ...email };
}

/** The SMTP server's URL, or the error that says where to set it. */
function smtpUrlOf(options: SendOptions): string {
  if (!options.smtpUrl) throw new Error('set SAHIFA_SMTP_URL in the environment, e.g. smtp://user:password@smtp.example.org:587');
  parseSmtpUrl(options.smtpUrl);
  return options.smtpUrl;
}

/**
 * `sahifa send SLUG`: sends a post's email to every active subscriber who
 * has not had it, building it first when needed.
 *
 * @param options Site, post, server and secret.
 */
export async function sendNewsletter(options: SendOptions): Promise<CampaignReport & { built: boolean }> {
  const { root, config, sender, content, built } = await prepareSend(options, options.secret);
  const smtpUrl = smtpUrlOf(options);
  const db = openSiteDatabase(root, config, { busyTimeout: options.busyTimeout });
  const pace = {
    rate: options.rate ?? config.send.rate,
    concurrency: options.concurrency ?? config.send.concurrency,
    retryDelayMs: options.retryDelayMs ?? config.send.retryDelay * 1000,
    maxAttempts: config.send.maxAttempts,
  };
  let transport;
  try {
    transport = createSmtpTransport({ url: smtpUrl, connections: pace.concurrency, dkim: dkimFor(root, config), timeouts: timeoutsOf(config) });
  } catch (error) {
    db.close();
    throw error;
  }
  try {
    if (options.retryUnknown) requeueUnknown(db, options.slug);
    return { ...(await runCampaign(db, transport, content, sender, pace, options.onProgress)), built };
  } finally {
    await transport.close();
    db.close();
  }
}

/**
 * `sahifa send SLUG --to ADDRESS`: one test copy, "[Test]" before the
 * subject, outside the campaign (nothing is recorded).
 *
 * @param options Site, post, server and secret.
 * @param address Where the copy goes (already checked).
 */
export async function sendTestCopy(options: SendOptions, address: string): Promise<DeliveryOutcome> {
  const { root, config, sender, content } = await prepareSend(options, options.secret);
  const transport = createSmtpTransport({ url: smtpUrlOf(options), connections: 1, dkim: dkimFor(root, config), timeouts: timeoutsOf(config) });
  try {
    const test = { ...content, subject: headerText(`[Test] ${content.subject}`) };
    return await transport.send(personalize(test, sender, { email: address, name: null }, `<test.${randomBytes(8).toString('hex')}@${senderDomain(sender.from)}>`));
  } finally {
    await transport.close();
  }
}

/** What `--dry-run` found. */
export interface DryRunReport {
  /** Messages that would be sent now. */
  wouldSend: number;
  /** Deliveries already done in an earlier run. */
  alreadyDone: number;
  /** Bytes of the largest rendered HTML part. */
  largestHtmlBytes: number;
}

/**
 * `sahifa send SLUG --dry-run`: renders every message that would be sent,
 * sends nothing and records nothing (a stale email is built in memory, a
 * missing database is not created).
 *
 * @param options Site and post; the secret signs the rendered links.
 */
export async function dryRun(options: SendOptions): Promise<DryRunReport> {
  const { root, config, sender, content } = await prepareSend(options, options.secret ?? 'dry-run', true);
  // No database yet means no subscriber yet: it is not created for a rehearsal.
  if (!existsSync(siteDatabasePath(root, config))) return { wouldSend: 0, alreadyDone: 0, largestHtmlBytes: 0 };
  const db = openSiteDatabase(root, config);
  try {
    const campaign = findCampaign(db, options.slug);
    const done = campaign
      ? (db.prepare("SELECT subscriber_id FROM deliveries WHERE campaign_id = ? AND state IN ('sent', 'failed', 'unknown', 'handed', 'skipped')").pluck().all(campaign.id) as number[])
      : [];
    const finished = new Set(done);
    const recipients = (db.prepare("SELECT id, email, name FROM subscribers WHERE state = 'active' ORDER BY id").all() as Array<{ id: number; email: string; name: string | null }>).filter(
      (subscriber) => !finished.has(subscriber.id),
    );
    let largestHtmlBytes = 0;
    for (const recipient of recipients) {
      const message = personalize(content, sender, recipient, `<dry-run.${recipient.id}@sahifa.invalid>`);
      largestHtmlBytes = Math.max(largestHtmlBytes, Buffer.byteLength(message.html));
    }
    return { wouldSend: recipients.length, alreadyDone: finished.size, largestHtmlBytes };
  } finally {
    db.close();
  }
}

/**
 * `sahifa send SLUG --status`.
 *
 * @param root The site root.
 * @param slug The post's slug.
 */
export async function sendStatus(root: string, slug: string): Promise<CampaignStatus | undefined> {
  const config = await loadConfig(resolve(root));
  const db = openSiteDatabase(resolve(root), config);
  try {
    return campaignStatus(db, slug);
  } finally {
    db.close();
  }
}

/** `send.timeouts` (seconds) in milliseconds. */
function timeoutsOf(config: SiteConfig): SmtpTimeouts {
  const { connection, greeting, socket, data } = config.send.timeouts;
  return { connection: connection * 1000, greeting: greeting * 1000, socket: socket * 1000, data: data * 1000 };
}

/** The DKIM settings with the key file resolved from the site root. */
function dkimFor(root: string, config: SiteConfig) {
  const dkim = config.send.dkim;
  return dkim ? { ...dkim, privateKeyFile: resolve(root, dkim.privateKeyFile) } : undefined;
}
