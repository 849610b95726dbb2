import type { SahifaDatabase } from '../../send/database.js';
import { isBusy } from '../../send/database-errors.js';
import { patiently } from '../../send/patient-write.js';
import type { DeliveryOutcome, MailTransport, OutgoingMessage } from '../../send/transport.js';
import type { LinkMaker } from '../confirm-link.js';
import type { ServiceEmail } from '../mail.js';
import { claimDue, emailOf, markHanded, nextRetryAt, pruneSent, resumeOrphans, settleRow, type OutboxOutcome, type OutboxRow } from './store.js';

/** Options of {@link startDrainer}. */
export interface DrainerOptions {
  db: SahifaDatabase;
  transport: MailTransport;
  /** Turns an outbox row's email into a message. */
  render(email: ServiceEmail): Promise<OutgoingMessage>;
  /** Emails sent at once (the SMTP connections used). */
  concurrency: number;
  /** Emails started per second, at most (`send.rate`): a burst of sign-ups waits in the outbox, not in memory or on the CPU. */
  rate: number;
  /** Milliseconds before the first retry of a deferred email; doubled each time. */
  retryDelayMs: number;
  /** Attempts before a deferred email counts as failed. */
  maxAttempts: number;
  /** Milliseconds a database step waits for another process's lock. */
  patience: number;
  /** Reports an email that was not sent (a line without the address). */
  onFailure(kind: string, reason: string): void;
  /** Secret and public address: the confirmation links are made when their email is sent. */
  links: LinkMaker;
}

/** The outbox's sender. */
export interface Drainer {
  /** Says that an email was just put in the outbox. */
  wake(): void;
  /** Resolves once nothing is being sent and nothing is due (retries waiting for their time do not count). */
  settled(): Promise<void>;
  /** Sends nothing new, and resolves once the emails in flight are done. */
  stop(): Promise<void>;
}

/** Days a sent email's row is kept (without its link) before it is deleted. */
const KEEP_SENT_DAYS = 7;

/**
 * Sends the outbox: rows left by a process that died are resumed first
 * (see `resumeOrphans`), then every due email is sent with at most
 * `concurrency` at once; a deferred one (4xx, no connection) is retried with
 * a doubling delay up to `maxAttempts`; a refused one (5xx) fails; one whose
 * server may have it (connection lost after the whole message) is
 * `unknown` and never sent again on its own. Every state is committed
 * before the step it guards, as `send` does for deliveries.
 *
 * @param options Database, transport and pacing.
 */
export function startDrainer(options: DrainerOptions): Drainer {
  const { db, transport } = options;
  const patience = { patience: options.patience, write: true };
  let inFlight = 0;
  let stopped = false;
  let filling = false;
  let recovered = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  const interval = 1000 / options.rate;
  let nextSlot = 0;
  let idleWaiters: Array<() => void> = [];
  let doneWaiters: Array<() => void> = [];

  const step = <T>(task: () => T) => patiently(db, task, patience);

  const outcomeOf = (row: OutboxRow, delivery: DeliveryOutcome): OutboxOutcome => {
    if (delivery.status === 'sent' || delivery.status === 'unknown') return { state: delivery.status, response: delivery.response };
    if (delivery.status === 'permanent' || row.attempts >= options.maxAttempts) return { state: 'failed', response: delivery.response };
    return { state: 'retry', response: delivery.response, nextAttemptAt: Date.now() + options.retryDelayMs * 2 ** (row.attempts - 1) };
  };

  const attempt = async (row: OutboxRow): Promise<void> => {
    let outcome: OutboxOutcome;
    try {
      const message = await options.render({ ...emailOf(row, options.links), messageId: row.message_id });
      outcome = outcomeOf(row, await transport.send(message, () => markHanded(db, row.id)));
    } catch (error) {
      // The server could not be used at all, or the hand-over could not be recorded: the server dropped the
      // unfinished message, so it is tried again later.
      outcome = outcomeOf(row, { status: 'transient', response: error instanceof Error ? error.message : String(error) });
    }
    if (outcome.state !== 'sent') options.onFailure(row.kind, `${outcome.state === 'retry' ? 'deferred' : outcome.state}: ${outcome.response}`);
    await step(() => settleRow(db, row.id, outcome));
  };

  const finished = () => {
    inFlight -= 1;
    if (inFlight === 0 && stopped) {
      for (const resolve of doneWaiters) resolve();
      doneWaiters = [];
    }
    void fill();
  };

  const schedule = (at: number | undefined) => {
    clearTimeout(timer);
    timer = undefined;
    timerAt = Infinity;
    if (at === undefined || stopped) return;
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Infinity;
      void fill();
    }, Math.max(0, at - Date.now()));
    timer.unref();
  };

  async function fill(): Promise<void> {
    if (filling) {
      again = true;
      return;
    }
    filling = true;
    try {
      if (!recovered) {
        // Through `patiently`, not at start: another process holding the lock must not hold up the start.
        await step(() => {
          resumeOrphans(db);
          pruneSent(db, KEEP_SENT_DAYS);
        });
        recovered = true;
      }
      // Whether the last look found no email due: only then is the next due time worth a query.
      let drained = false;
      do {
        again = false;
        drained = false;
        while (!stopped && inFlight < options.concurrency) {
          if (Date.now() < nextSlot) break;
          const row = await step(() => claimDue(db, Date.now()));
          if (!row) {
            drained = true;
            break;
          }
          nextSlot = Math.max(Date.now(), nextSlot) + interval;
          inFlight += 1;
          void attempt(row)
            .catch((error: unknown) => options.onFailure(row.kind, error instanceof Error ? error.message : String(error)))
            .finally(finished);
        }
      } while (again && !stopped);
      if (!drained && !stopped) {
        // Held back by the rate or by the connections while emails may still be due: the next slot (or a
        // finished send) looks again, without a query for the next due time at every email of a burst.
        if (inFlight < options.concurrency) schedule(Math.max(nextSlot, Date.now()));
        return;
      }
      // A read: it needs no write lock, which the request thread's commits would wait for.
      const due = await patiently(db, () => nextRetryAt(db), { patience: options.patience });
      const now = Date.now();
      if (due !== undefined && due <= now) {
        // Due now but held back by the rate (the next slot takes it) or by the connections (a finished
        // send takes it). Never idle: the slot may already have passed while the query above ran.
        if (inFlight < options.concurrency) schedule(Math.max(nextSlot, now));
      } else if (inFlight === 0) {
        schedule(due);
        for (const resolve of idleWaiters) resolve();
        idleWaiters = [];
      }
    } catch (error) {
      options.onFailure('outbox', isBusy(error) ? 'database busy; trying again in a second' : error instanceof Error ? error.message : String(error));
      schedule(Date.now() + 1000);
      // Nobody waits for emails the database cannot give now; they stay in the outbox for the retry.
      if (inFlight === 0) {
        for (const resolve of idleWaiters) resolve();
        idleWaiters = [];
      }
    } finally {
      filling = false;
    }
  }

  void fill();

  return {
    wake() {
      // A new email waits its turn anyway when every connection is busy (a finished send looks again) or
      // when the next look is already set for its rate slot: a burst of sign-ups costs no query each.
      if (inFlight >= options.concurrency || timerAt <= Math.max(nextSlot, Date.now())) return;
      void fill();
    },
    settled: () =>
      stopped
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            idleWaiters.push(resolve);
            void fill();
          }),
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => doneWaiters.push(resolve));
    },
  };
}
