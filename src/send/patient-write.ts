import { setTimeout as sleep } from 'node:timers/promises';
import type { SahifaDatabase } from './database.js';
import { isBusy } from './database-errors.js';

/** Options of {@link patiently}. */
export interface PatienceOptions {
  /** How long to keep trying, in milliseconds, before giving up with the busy error. */
  patience: number;
  /** Whether the task writes: it then takes the write lock at its start (`BEGIN IMMEDIATE`), so it never fails halfway. */
  write?: boolean;
  /** Called each time the database was busy: the attempt's number and the milliseconds waited so far. */
  onBusy?: (attempt: number, waited: number) => void;
}

/** Milliseconds one attempt blocks the process waiting for a lock (better-sqlite3 waits synchronously). */
export const SLICE_MS = 200;

/** Runs a task in a `BEGIN IMMEDIATE` transaction. */
interface Runner {
  immediate<T>(task: () => T): T;
}
const runners = new WeakMap<SahifaDatabase, Runner>();

/** One transaction wrapper per connection that runs the task it is given (better-sqlite3 builds four functions per `transaction()` call). */
function transactionOf(db: SahifaDatabase): Runner {
  let runner = runners.get(db);
  if (!runner) {
    runner = db.transaction((task: () => unknown) => task()) as unknown as Runner;
    runners.set(db, runner);
  }
  return runner;
}

/** Each connection's `busy_timeout`, read once: a pragma is a prepared statement, and the outbox thread runs several tasks an email. */
const timeouts = new WeakMap<SahifaDatabase, number>();

function busyTimeoutOf(db: SahifaDatabase): number {
  let timeout = timeouts.get(db);
  if (timeout === undefined) {
    timeout = db.pragma('busy_timeout', { simple: true }) as number;
    timeouts.set(db, timeout);
  }
  return timeout;
}

/**
 * Runs a database task, retrying while another process holds the lock it
 * needs, for up to `patience` milliseconds. Each attempt waits at most a
 * short slice inside SQLite and the pauses between attempts are
 * asynchronous, so a server keeps answering other requests meanwhile.
 *
 * @param db      The database (its `busy_timeout` is restored afterwards; it
 *   is read once per connection, so set it when opening, not in between).
 * @param task    The reads, or the writes (run as one transaction).
 * @param options How long to keep trying.
 * @throws the SQLite busy error when the lock outlasted `patience`, and any
 *   other error at once.
 */
export async function patiently<T>(db: SahifaDatabase, task: () => T, options: PatienceOptions): Promise<T> {
  const started = performance.now();
  const usual = busyTimeoutOf(db);
  // A connection whose timeout is already one slice (sahifa serve's) is left alone: each pragma is a prepare.
  const slice = Math.min(usual, SLICE_MS);
  for (let attempt = 1; ; attempt += 1) {
    if (slice !== usual) db.pragma(`busy_timeout = ${slice}`);
    try {
      return options.write ? transactionOf(db).immediate(task) : task();
    } catch (error) {
      const waited = performance.now() - started;
      if (!isBusy(error) || waited >= options.patience) throw error;
      options.onBusy?.(attempt, waited);
    } finally {
      if (slice !== usual) db.pragma(`busy_timeout = ${usual}`);
    }
    await sleep(Math.min(1000, 25 * 2 ** attempt));
  }
}
