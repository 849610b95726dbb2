import type { SahifaDatabase } from '../send/database.js';
import { patiently, type PatienceOptions } from '../send/patient-write.js';

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

interface Queued {
  task: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

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
 * @param db      The database.
 * @param options How long to wait for another process's lock (see `patiently`).
 */
export function groupCommit(db: SahifaDatabase, options: Omit<PatienceOptions, 'write'>): GroupCommit {
  let queue: Queued[] = [];
  const inSavepoint = db.transaction((task: () => unknown) => task());

  const flush = async () => {
    const batch = queue;
    queue = [];
    let outcomes: Outcome[];
    try {
      outcomes = await patiently(
        db,
        () =>
          batch.map((item): Outcome => {
            try {
              return { ok: true, value: inSavepoint(item.task) };
            } catch (error) {
              return { ok: false, error };
            }
          }),
        { ...options, write: true },
      );
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  };

  return {
    run<T>(task: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        // The first task of a turn schedules the commit after the turn's I/O callbacks, which queue the rest.
        if (queue.length === 0) setImmediate(() => void flush());
        queue.push({ task, resolve: resolve as (value: unknown) => void, reject });
      });
    },
  };
}
