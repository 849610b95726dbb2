import type { SahifaDatabase } from '../send/database.js';
import { isBusy } from '../send/database-errors.js';
import { SLICE_MS } from '../send/patient-write.js';

/** Writes that share commits. */
export interface GroupCommit {
  /**
   * Runs `task` in a transaction shared with the other tasks given in the
   * same turn of the event loop, and resolves with its result once that
   * transaction is committed (rejects with its error, or with the
   * database's busy error when the lock outlasted the patience).
   */
  run<T>(task: () => T): Promise<T>;
}

/** Options of {@link groupCommit}. */
export interface GroupCommitOptions {
  /** Milliseconds a task may wait for another connection's write lock before it fails with the busy error. */
  patience: number;
  /**
   * Called while the lock stays taken, once per `SLICE_MS` of waiting (short
   * waits for the outbox thread's own writes are not reported): the group's
   * attempt and the milliseconds its oldest task has waited.
   */
  onBusy?: (attempt: number, waited: number) => void;
}

interface Queued {
  task: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** `performance.now()` when the task was given. */
  since: number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Milliseconds between two tries for a lock another connection holds (the outbox thread's writes last well under one, unless its low priority leaves it waiting for a core while it holds the lock). */
const RETRY_MS = 1;

/**
 * Group commit for the request thread: the subscribe requests that arrive
 * together (one per connection in a burst) are written in one `BEGIN
 * IMMEDIATE` transaction, each task in a savepoint of its own, so one
 * failing task is rolled back alone. A commit appends every page it changed
 * to the write-ahead log; tasks that insert into the same tables change
 * mostly the same pages, so one commit for ten requests writes about a
 * fifth of the bytes of ten commits. Nothing is answered before its commit,
 * so what a reader is told still survives a crash.
 *
 * When another connection holds the write lock (the outbox's thread), the
 * group is tried again on a timer, joined by the tasks that arrive
 * meanwhile: give it a connection whose `busy_timeout` is 0, as `sahifa
 * serve` does, and the event loop never sleeps in SQLite's busy handler
 * (which sleeps 1, 2, 5, 10 … ms, stalling every other request).
 *
 * @param db      The database.
 * @param options How long a task may wait for the lock.
 */
export function groupCommit(db: SahifaDatabase, options: GroupCommitOptions): GroupCommit {
  let queue: Queued[] = [];
  let scheduled = false;
  let attempt = 0;
  let reportedAt = 0;
  const inSavepoint = db.transaction((task: () => unknown) => task());
  const inTransaction = db.transaction((batch: Queued[]) =>
    batch.map((item): Outcome => {
      try {
        return { ok: true, value: inSavepoint(item.task) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );

  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    let outcomes: Outcome[];
    try {
      outcomes = inTransaction.immediate(batch);
    } catch (error) {
      if (isBusy(error)) return retry(batch, error);
      attempt = 0;
      for (const item of batch) item.reject(error);
      return;
    }
    attempt = 0;
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  };

  const retry = (batch: Queued[], error: unknown) => {
    attempt += 1;
    const now = performance.now();
    // Tasks past their patience fail with the busy error; the rest wait for the next try with the new arrivals.
    const waiting = batch.filter((item) => {
      if (now - item.since < options.patience) return true;
      item.reject(error);
      return false;
    });
    const waited = waiting.length > 0 ? now - waiting[0]!.since : 0;
    if (waited >= SLICE_MS && now - reportedAt >= SLICE_MS) {
      reportedAt = now;
      options.onBusy?.(attempt, waited);
    }
    queue = waiting.concat(queue);
    if (queue.length === 0) {
      attempt = 0;
      return;
    }
    scheduled = true;
    setTimeout(flush, RETRY_MS);
  };

  return {
    run<T>(task: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        // The first task of a turn schedules the commit after the turn's I/O callbacks, which queue the rest.
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
        queue.push({ task, resolve: resolve as (value: unknown) => void, reject, since: performance.now() });
      });
    },
  };
}
