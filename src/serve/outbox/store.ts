import type { SahifaDatabase } from '../../send/database.js';
import { isRunning } from '../../system/is-running.js';
import { pooledRandomBytes } from '../random-pool.js';
import { statement } from '../statements.js';
import { confirmLink, type LinkMaker } from '../confirm-link.js';
import type { ServiceEmail, ServiceEmailKind } from '../mail.js';

/** One email waiting in the outbox (see migration 7 in src/send/database.ts). */
export interface OutboxRow {
  id: number;
  kind: ServiceEmailKind;
  recipient: string;
  /** The confirmation link (`confirm`) or the unsubscribe link (`welcome`). */
  link: string | null;
  list_id: string | null;
  /** The same on every attempt, so a receiver can drop a repeat. */
  message_id: string;
  attempts: number;
}

/** Where an outbox row ends after an attempt. */
export type OutboxOutcome = { state: 'sent' | 'failed' | 'unknown'; response: string } | { state: 'retry'; response: string; nextAttemptAt: number };

/**
 * Puts an email in the outbox. Call it inside the transaction that owes the
 * email (the pending subscriber, the confirmation), so both are committed or
 * neither is.
 *
 * @param db     The database.
 * @param email  Which email, to whom, with which link.
 * @param domain The sender's domain, for the Message-ID.
 */
export function enqueueEmail(db: SahifaDatabase, email: ServiceEmail, domain: string): void {
  insertRow(db, email.kind, email.to, (email.kind === 'confirm' ? email.confirmUrl : email.unsubscribeUrl) ?? null, email.listId ?? null, domain);
}

/** How a confirmation row's `link` says that its token is made when the email is sent: `seal:<nonce>.<expires>`. */
const SEALED_LINK = /^seal:([\w-]+)\.(\d+)$/;

/**
 * Puts a confirmation email in the outbox with what its link's token seals
 * (the consent record's nonce and the link's expiry) rather than the link:
 * the token is made by the outbox's thread when the email is rendered (see
 * {@link emailOf}), not on the thread that answers readers. Call it inside
 * the transaction that records the consent.
 *
 * @param db      The database.
 * @param to      The recipient's normalised address.
 * @param nonce   The consent record's nonce (base64url).
 * @param expires When the link stops working, in seconds since 1970 (from the request, not the sending).
 * @param domain  The sender's domain, for the Message-ID.
 */
export function enqueueConfirmation(db: SahifaDatabase, to: string, nonce: string, expires: number, domain: string): void {
  insertRow(db, 'confirm', to, `seal:${nonce}.${expires}`, null, domain);
}

function insertRow(db: SahifaDatabase, kind: ServiceEmailKind, recipient: string, link: string | null, listId: string | null, domain: string): void {
  statement(db, 'INSERT INTO outbox (kind, recipient, link, list_id, message_id) VALUES (@kind, @recipient, @link, @listId, @messageId)').run({
    kind,
    recipient,
    link,
    listId,
    messageId: `<${kind}.${pooledRandomBytes(12).toString('hex')}@${domain}>`,
  });
}

/**
 * The email an outbox row holds, as the renderer takes it. A confirmation
 * row put in by {@link enqueueConfirmation} gets its link made here; rows
 * holding a whole link (older ones, welcome emails) keep it.
 *
 * @param row   The row.
 * @param maker Secret and public address, for the confirmation links made here.
 */
export function emailOf(row: OutboxRow, maker: LinkMaker): ServiceEmail {
  if (row.kind === 'confirm') {
    const sealed = row.link ? SEALED_LINK.exec(row.link) : null;
    const confirmUrl = sealed ? confirmLink(maker, { address: row.recipient, nonce: sealed[1]!, expires: Number(sealed[2]) }) : (row.link ?? undefined);
    return { kind: 'confirm', to: row.recipient, confirmUrl };
  }
  return { kind: 'welcome', to: row.recipient, unsubscribeUrl: row.link ?? undefined, listId: row.list_id ?? undefined };
}

/**
 * Takes the oldest email that is due (pending, or a retry whose time came)
 * for this process: it becomes `sending`, its attempt counted, before any
 * byte goes to the server.
 *
 * @param db  The database.
 * @param now Milliseconds since 1970.
 * @returns The row, or `undefined` when nothing is due.
 */
export function claimDue(db: SahifaDatabase, now: number): OutboxRow | undefined {
  return statement(
    db,
    // Each state's oldest due row is one step down the index outbox_due (state, next_attempt_at, id); an
    // IN over both states would sort every waiting row (a burst leaves thousands) while holding the write lock.
    `UPDATE outbox SET state = 'sending', attempts = attempts + 1, owner_pid = @pid
       WHERE id = (SELECT id FROM (
           SELECT * FROM (SELECT id, next_attempt_at FROM outbox WHERE state = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT 1)
           UNION ALL
           SELECT * FROM (SELECT id, next_attempt_at FROM outbox WHERE state = 'retry' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT 1))
         ORDER BY next_attempt_at, id LIMIT 1)
       RETURNING id, kind, recipient, link, list_id, message_id, attempts`,
  ).get({ pid: process.pid, now }) as OutboxRow | undefined;
}

/**
 * Records that the server has the whole message but has not yet answered:
 * after a crash from here on, the email may have arrived and is not sent again.
 *
 * @param db The database.
 * @param id The row.
 */
export function markHanded(db: SahifaDatabase, id: number): void {
  statement(db, "UPDATE outbox SET state = 'handed' WHERE id = ?").run(id);
}

/**
 * Records how an attempt ended. A sent email keeps its row (for
 * `sent_at`) but no longer its link, which could confirm or unsubscribe.
 *
 * @param db      The database.
 * @param id      The row.
 * @param outcome Its new state.
 */
export function settleRow(db: SahifaDatabase, id: number, outcome: OutboxOutcome): void {
  statement(
    db,
    `UPDATE outbox SET state = @state, last_response = @response, owner_pid = NULL,
       next_attempt_at = coalesce(@next, next_attempt_at),
       link = CASE WHEN @state = 'sent' THEN NULL ELSE link END,
       sent_at = CASE WHEN @state = 'sent' THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE sent_at END
     WHERE id = @id`,
  ).run({ id, state: outcome.state, response: outcome.response.slice(0, 500), next: outcome.state === 'retry' ? outcome.nextAttemptAt : null });
}

/**
 * After a crash: rows a process that no longer runs was sending go back to
 * the queue (`sending`: the server never had the whole message, so it
 * dropped it) or become `unknown` (`handed`: it may have arrived; sending
 * again could deliver it twice). Rows of a running process (another
 * `sahifa serve` on the same database) are left to it.
 *
 * @param db The database.
 * @returns How many rows went back to the queue and how many became unknown.
 */
export function resumeOrphans(db: SahifaDatabase): { requeued: number; unknown: number } {
  const rows = statement(db, "SELECT id, state, owner_pid AS owner FROM outbox WHERE state IN ('sending', 'handed')").all() as Array<{ id: number; state: string; owner: number | null }>;
  let requeued = 0;
  let unknown = 0;
  const requeue = statement(db, "UPDATE outbox SET state = 'retry', owner_pid = NULL WHERE id = ?");
  const lose = statement(db, "UPDATE outbox SET state = 'unknown', owner_pid = NULL, last_response = 'the process sending it stopped after the server had the whole message' WHERE id = ?");
  for (const row of rows) {
    if (row.owner !== null && row.owner !== process.pid && isRunning(row.owner)) continue;
    if (row.state === 'sending') {
      requeue.run(row.id);
      requeued += 1;
    } else {
      lose.run(row.id);
      unknown += 1;
    }
  }
  return { requeued, unknown };
}

/**
 * Milliseconds since 1970 at which the next retry falls due, if any email waits for one.
 *
 * @param db The database.
 */
export function nextRetryAt(db: SahifaDatabase): number | undefined {
  return (statement(db, "SELECT min(next_attempt_at) FROM outbox WHERE state IN ('pending', 'retry')").pluck().get() as number | null) ?? undefined;
}

/**
 * Deletes rows of sent emails older than `days` days, so the table does not grow without end.
 *
 * @param db   The database.
 * @param days Age in days.
 */
export function pruneSent(db: SahifaDatabase, days: number): number {
  return statement(db, "DELETE FROM outbox WHERE state = 'sent' AND sent_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', @age)").run({ age: `-${days} days` }).changes;
}
