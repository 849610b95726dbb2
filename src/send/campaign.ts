import { randomBytes } from 'node:crypto';
import type { SahifaDatabase } from './database.js';
import { personalize, senderDomain, type CampaignContent, type SenderSettings } from './personalize.js';
import type { Subscriber } from './subscribers.js';
import { SmtpUnavailable } from './smtp-transport.js';
import type { MailTransport } from './transport.js';
import { isRunning } from '../system/is-running.js';

/** How a campaign is paced and retried. */
export interface PaceSettings {
  /** Messages per second, at most. */
  rate: number;
  /** Messages in flight at once. */
  concurrency: number;
  /** Delay before the first retry of a deferred message, in milliseconds; doubled each time. */
  retryDelayMs: number;
  /** Attempts before a deferred message counts as failed. */
  maxAttempts: number;
}

/** What one run of a campaign did. */
export interface CampaignReport {
  sent: number;
  failed: number;
  /** Of the failed, subscribers whose mailbox does not exist (SMTP 5.1.x), now marked `bounced`. */
  bounced: number;
  unknown: number;
  /** Deliveries already finished in an earlier run, or whose subscriber is no longer active. */
  skipped: number;
  /** Attempts that were deferred and tried again. */
  retries: number;
  seconds: number;
}

/** One delivery row as the runner reads it. */
interface DeliveryRow {
  subscriber_id: number;
  attempts: number;
}

/** A campaign row. */
export interface CampaignRow {
  id: number;
  slug: string;
  subject: string;
  html: string;
  text: string;
  nonce: string;
  completed_at: string | null;
  /** The process sending it now, if any. */
  run_pid: number | null;
}

/**
 * The campaign of a post, created on first use with a snapshot of its
 * content: a later run sends what the first run sent, even if the post was
 * rebuilt in between.
 *
 * @param db      The database.
 * @param content The email as built.
 */
export function ensureCampaign(db: SahifaDatabase, content: CampaignContent): CampaignRow {
  db.prepare('INSERT OR IGNORE INTO campaigns (slug, subject, html, text, nonce) VALUES (@slug, @subject, @html, @text, @nonce)').run({
    ...content,
    nonce: randomBytes(6).toString('hex'),
  });
  return findCampaign(db, content.slug)!;
}

/**
 * The campaign of a slug, if it was ever sent.
 *
 * @param db   The database.
 * @param slug The post's slug.
 */
export function findCampaign(db: SahifaDatabase, slug: string): CampaignRow | undefined {
  return db.prepare('SELECT * FROM campaigns WHERE slug = ?').get(slug) as CampaignRow | undefined;
}

/**
 * The Message-ID of one delivery: the same on every attempt, so a receiving
 * server can drop a repeat.
 *
 * @param campaign     The campaign.
 * @param subscriberId The subscriber.
 * @param from         The sender, whose domain ends the id.
 */
export function deliveryMessageId(campaign: CampaignRow, subscriberId: number, from: string): string {
  return `<${campaign.slug}.${campaign.nonce}.${subscriberId}@${senderDomain(from)}>`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends a campaign to every active subscriber who has not had it.
 *
 * Every delivery is a row, and every change of its state is committed before
 * the step it records: `sending` (with the attempt counted) before the
 * message goes to the server; `handed` at the instant the server has the
 * whole message but not the final dot that completes it (see
 * {@link MailTransport.send}), so before the server can accept it; then
 * `sent`, `retry`, `failed` or `unknown` from its answer. A process killed at
 * any moment leaves a true record, read by the next run:
 * - rows still `sending` never reached the server in full (a server drops an
 *   incomplete message): they are sent again, with the same Message-ID;
 * - rows `handed` may have been accepted: they become `unknown`, are listed
 *   by `sahifa send SLUG --status`, and are sent again only on request
 *   (`--retry-unknown`). Nobody gets the issue twice on their own.
 *
 * A write to the database that fails (a lock held by another process, a full
 * disk) stops the campaign at once, with the row left as it was last
 * committed, which is still true.
 *
 * Deferred messages (4xx) wait `retryDelayMs`, doubled per attempt; refused
 * ones (5xx) are failed with the server's reply. A refusal saying the
 * mailbox does not exist (`5.1.x`, see `isNoSuchMailbox`) also marks the
 * subscriber `bounced`, in the same transaction, so no later campaign mails
 * them; a subscriber who unsubscribed meanwhile stays `unsubscribed`. Only
 * one process sends a campaign at a time.
 *
 * @param db         The database.
 * @param transport  Where mail goes.
 * @param content    The email as built.
 * @param sender     Sender and list settings.
 * @param pace       Rate, concurrency and retries.
 * @param onProgress Called after each delivery attempt with the number done and the total to do.
 */
export async function runCampaign(
  db: SahifaDatabase,
  transport: MailTransport,
  content: CampaignContent,
  sender: SenderSettings,
  pace: PaceSettings,
  onProgress?: (done: number, total: number) => void,
): Promise<CampaignReport> {
  const started = performance.now();
  let campaign: CampaignRow;
  try {
    campaign = ensureCampaign(db, content);
    claimCampaign(db, campaign.id);
  } catch (error) {
    if (!isDatabaseError(error)) throw error;
    throw new Error(`the send log ${db.name} cannot be written (${(error as Error).message}): another process may be holding it, or the disk is full; free it and run sahifa send again`);
  }
  const snapshot: CampaignContent = { slug: campaign.slug, subject: campaign.subject, html: campaign.html, text: campaign.text };
  const id = campaign.id;
  try {
    return await sendPending(db, transport, campaign, snapshot, sender, pace, onProgress, started);
  } finally {
    try {
      db.prepare('UPDATE campaigns SET run_pid = NULL WHERE id = ? AND run_pid = ?').run(id, process.pid);
    } catch {
      // The database is failing and the campaign is already stopping with that error; a run_pid
      // left behind names a process that no longer runs, which the next claim sees.
    }
  }
}


/**
 * Marks a campaign as being sent by this process, refusing when another
 * living process is sending it: two runs at once would both send the rows
 * the other has in flight.
 */
function claimCampaign(db: SahifaDatabase, id: number): void {
  db.transaction(() => {
    const { run_pid: owner } = db.prepare('SELECT run_pid FROM campaigns WHERE id = ?').get(id) as { run_pid: number | null };
    if (owner !== null && owner !== process.pid && isRunning(owner)) {
      throw new Error(`another sahifa send of this post is running (process ${owner}); wait for it, or stop it first`);
    }
    db.prepare('UPDATE campaigns SET run_pid = ? WHERE id = ?').run(process.pid, id);
  }).immediate();
}

/** What is written in `last_response` of a row found `handed` by a later run. */
export const INTERRUPTED_AFTER_HAND_OVER =
  'interrupted after the whole message was handed to the server, before its answer: it may have arrived; check, then send with --retry-unknown';

/** The error that stops a campaign when its record cannot be written. */
function logWriteFailed(db: SahifaDatabase, error: unknown, email: string, when: string): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `could not write to the send log ${db.name} ${when} to ${email} (${reason}): sending stopped; the record of that message stays true (nobody will be mailed twice); free the database (another process holding it, a full disk) and run sahifa send again`,
  );
}

async function sendPending(
  db: SahifaDatabase,
  transport: MailTransport,
  campaign: CampaignRow,
  snapshot: CampaignContent,
  sender: SenderSettings,
  pace: PaceSettings,
  onProgress: ((done: number, total: number) => void) | undefined,
  started: number,
): Promise<CampaignReport> {
  const id = campaign.id;
  const { interrupted } = db.transaction(() => {
    db.prepare("UPDATE deliveries SET state = 'pending' WHERE campaign_id = ? AND state = 'sending'").run(id);
    const changes = db
      .prepare("UPDATE deliveries SET state = 'unknown', last_response = ? WHERE campaign_id = ? AND state = 'handed'")
      .run(INTERRUPTED_AFTER_HAND_OVER, id).changes;
    db.prepare("INSERT OR IGNORE INTO deliveries (campaign_id, subscriber_id) SELECT ?, id FROM subscribers WHERE state = 'active'").run(id);
    return { interrupted: changes };
  }).immediate();

  const statements = {
    due: db.prepare(
      "SELECT subscriber_id, attempts FROM deliveries WHERE campaign_id = @id AND state IN ('pending', 'retry') AND next_attempt_at <= @now ORDER BY next_attempt_at, subscriber_id LIMIT 1000",
    ),
    nextRetry: db.prepare("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE campaign_id = ? AND state = 'retry'"),
    subscriber: db.prepare('SELECT * FROM subscribers WHERE id = ?'),
    sending: db.prepare("UPDATE deliveries SET state = 'sending', attempts = attempts + 1 WHERE campaign_id = @id AND subscriber_id = @subscriber"),
    handed: db.prepare("UPDATE deliveries SET state = 'handed' WHERE campaign_id = @id AND subscriber_id = @subscriber AND state = 'sending'"),
    finish: db.prepare(
      'UPDATE deliveries SET state = @state, last_response = @response, next_attempt_at = @next, sent_at = @sentAt WHERE campaign_id = @id AND subscriber_id = @subscriber',
    ),
    bounce: db.prepare(
      "UPDATE subscribers SET state = 'bounced', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = @subscriber AND state = 'active'",
    ),
    undo: db.prepare("UPDATE deliveries SET state = 'pending', attempts = attempts - 1 WHERE campaign_id = @id AND subscriber_id = @subscriber"),
    counts: db.prepare('SELECT state, COUNT(*) AS count FROM deliveries WHERE campaign_id = ? GROUP BY state'),
  };
  const countsNow = () => Object.fromEntries((statements.counts.all(id) as Array<{ state: string; count: number }>).map((row) => [row.state, row.count]));
  const before = countsNow();
  const total = (before.pending ?? 0) + (before.retry ?? 0);
  const report: CampaignReport = {
    sent: 0,
    failed: 0,
    bounced: 0,
    unknown: interrupted,
    skipped: (before.sent ?? 0) + (before.failed ?? 0) + (before.unknown ?? 0) - interrupted + (before.skipped ?? 0),
    retries: 0,
    seconds: 0,
  };
  let done = 0;
  let stop: Error | undefined;
  let nextSlot = 0;
  const interval = 1000 / pace.rate;
  const takeSlot = async () => {
    const now = performance.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + interval;
    if (slot > now) await sleep(slot - now);
  };

  const deliver = async (row: DeliveryRow) => {
    const keys = { id, subscriber: row.subscriber_id };
    const subscriber = statements.subscriber.get(row.subscriber_id) as Subscriber | undefined;
    if (!subscriber || subscriber.state !== 'active') {
      statements.finish.run({ ...keys, state: 'skipped', response: 'no longer subscribed', next: 0, sentAt: null });
      report.skipped += 1;
      onProgress?.((done += 1), total);
      return;
    }
    await takeSlot();
    if (stop) return;
    statements.sending.run(keys);
    const attempt = row.attempts + 1;
    let outcome;
    try {
      // The hand-over is committed synchronously, before the final dot is written.
      outcome = await transport.send(personalize(snapshot, sender, subscriber, deliveryMessageId(campaign, subscriber.id, sender.from)), () => statements.handed.run(keys));
    } catch (error) {
      // Nothing was handed over: the row may go back to the queue (if the database lets us;
      // a row left `sending` is sent again by the next run, which is as true).
      try {
        statements.undo.run(keys);
      } catch {
        // Already stopping on the first error.
      }
      stop ??= error instanceof SmtpUnavailable ? error : isDatabaseError(error) ? logWriteFailed(db, error, subscriber.email, 'before handing the message') : (error as Error);
      return;
    }
    const retry = outcome.status === 'transient' && attempt < pace.maxAttempts;
    const state = outcome.status === 'sent' ? 'sent' : retry ? 'retry' : outcome.status === 'unknown' ? 'unknown' : 'failed';
    const noSuchMailbox = outcome.status === 'permanent' && outcome.noSuchMailbox === true;
    let bounced = false;
    try {
      db.transaction(() => {
        statements.finish.run({
          ...keys,
          state,
          response: outcome.response.slice(0, 500),
          next: retry ? Date.now() + pace.retryDelayMs * 2 ** (attempt - 1) : 0,
          sentAt: state === 'sent' ? new Date().toISOString() : null,
        });
        bounced = noSuchMailbox && statements.bounce.run({ subscriber: row.subscriber_id }).changes > 0;
      })();
    } catch (error) {
      stop ??= logWriteFailed(db, error, subscriber.email, `after the server answered (${state})`);
      return;
    }
    if (state === 'sent') report.sent += 1;
    else if (state === 'failed') report.failed += 1;
    else if (state === 'unknown') report.unknown += 1;
    else report.retries += 1;
    if (bounced) report.bounced += 1;
    if (state !== 'retry') onProgress?.((done += 1), total);
  };
  const deliverOrStop = async (row: DeliveryRow) => {
    try {
      await deliver(row);
    } catch (error) {
      stop ??= isDatabaseError(error) ? logWriteFailed(db, error, `subscriber ${row.subscriber_id}`, 'before sending') : (error as Error);
    }
  };

  while (!stop) {
    const due = statements.due.all({ id, now: Date.now() }) as DeliveryRow[];
    if (due.length === 0) {
      const { at } = statements.nextRetry.get(id) as { at: number | null };
      if (at === null) break;
      await sleep(Math.max(0, at - Date.now()));
      continue;
    }
    let next = 0;
    const worker = async () => {
      while (!stop && next < due.length) await deliverOrStop(due[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(pace.concurrency, due.length) }, worker));
  }
  if (stop) throw stop instanceof SmtpUnavailable || isDatabaseFailure(stop) ? stop : new Error(`sending stopped: ${stop.message}`);
  const after = countsNow();
  if (!after.pending && !after.retry && !after.sending && !after.handed) {
    db.prepare("UPDATE campaigns SET completed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND completed_at IS NULL").run(id);
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** Whether an error came from SQLite (better-sqlite3 names its errors `SqliteError`). */
function isDatabaseError(error: unknown): boolean {
  return error instanceof Error && error.name === 'SqliteError';
}

/** Whether an error is one of ours about the send log. */
function isDatabaseFailure(error: Error): boolean {
  return error.message.startsWith('could not write to the send log');
}
