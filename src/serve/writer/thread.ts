import Database from 'better-sqlite3';
import type { MessagePort } from 'node:worker_threads';
import { spawnWorker } from '../../system/spawn-worker.js';
import type { SignUp, SignUpWriter } from './sign-up.js';

/** What the writer's thread starts from. */
export interface WriterThreadData {
  /** The database file (the thread opens a connection of its own). */
  dbPath: string;
  /** Milliseconds a write may wait for another connection's lock before it fails as busy. */
  patience: number;
  /** A port to the outbox's thread, told once per commit that queued emails (the request thread then sends no wake of its own). */
  wakes?: MessagePort;
  /** Pages in the write-ahead log past which this thread's commits checkpoint it (0: never). */
  walCheckpointPages: number;
}

/**
 * Pages (4 KiB each by default) in the write-ahead log past which the sign-up writer
 * checkpoints it after a commit (SQLite's `wal_autocheckpoint`), and the
 * size the log file is cut back to afterwards. The outbox's thread
 * checkpoints every second; at the lowest CPU priority it may not run for
 * as long as a burst of sign-ups lasts, and the log grew without bound
 * meanwhile (59 MiB in 20,000 requests on one core). 16 MiB is seconds of
 * commits at the service's full rate, so in normal running the writer
 * never checkpoints.
 */
export const WAL_CHECKPOINT_PAGES = 4096;

/** Messages to the thread: the sign-ups of one turn of the request thread's loop, or the end. */
export type ToWriter = { type: 'write'; id: number; signUps: SignUp[] } | { type: 'stop' };

/** How one sign-up of a batch ended: whether an email was queued, or why it failed. */
export type WriteOutcome = { send: boolean } | { error: { message: string; code?: string } };

/** Messages from the thread. */
export type FromWriter =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  | { type: 'busy'; attempt: number; waited: number }
  | { type: 'done'; id: number; outcomes: WriteOutcome[] }
  | { type: 'stopped' };

interface Waiting {
  resolve(send: boolean): void;
  reject(error: unknown): void;
}

/** The error a failed write is rejected with: SQLite's own kind when it has a code, so a busy database still reads as busy. */
function failure(error: { message: string; code?: string }): Error {
  return error.code?.startsWith('SQLITE_') ? new Database.SqliteError(error.message, error.code) : new Error(error.message);
}

/**
 * Starts the thread that writes sign-ups (see writer-worker.ts) and
 * resolves once its connection is open. The sign-ups given in one turn of
 * the event loop go to it in one message and come back committed in one
 * answer; the request thread only parses, checks and answers.
 *
 * @param data   Database and patience.
 * @param onBusy Reports that a write waits for another connection's lock (once per slice of waiting).
 * @throws {Error} when the thread cannot start or open the database (its reason, one line).
 */
export async function startWriterThread(data: WriterThreadData, onBusy?: (attempt: number, waited: number) => void): Promise<SignUpWriter> {
  const worker = spawnWorker(import.meta.url, 'writer-worker', data, data.wakes ? [data.wakes] : []);
  const batches = new Map<number, Waiting[]>();
  let nextId = 0;
  let queue: SignUp[] = [];
  let queued: Waiting[] = [];
  let ended: Error | undefined;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  await new Promise<void>((ready, fail) => {
    worker.on('message', (message: FromWriter) => {
      if (message.type === 'ready') ready();
      else if (message.type === 'error') {
        fail(new Error(message.message));
        void worker.terminate();
      } else if (message.type === 'busy') onBusy?.(message.attempt, message.waited);
      else if (message.type === 'done') {
        const waiting = batches.get(message.id) ?? [];
        batches.delete(message.id);
        message.outcomes.forEach((outcome, index) => {
          if ('send' in outcome) waiting[index]?.resolve(outcome.send);
          else waiting[index]?.reject(failure(outcome.error));
        });
      } else if (message.type === 'stopped') void worker.terminate();
    });
    worker.once('error', (error) => fail(error));
    worker.once('exit', (code) => fail(new Error(`the database writer's thread stopped (exit code ${code})`)));
  });
  void exit.then(() => {
    // Writes that thread never answered fail (the request answers 500); nothing waits for ever.
    ended ??= new Error('the database writer\'s thread stopped; restart sahifa serve');
    for (const waiting of [...batches.values(), queued]) for (const item of waiting) item.reject(ended);
    batches.clear();
    queued = [];
    queue = [];
  });
  worker.on('error', () => undefined);
  const flush = () => {
    nextId += 1;
    batches.set(nextId, queued);
    worker.postMessage({ type: 'write', id: nextId, signUps: queue } satisfies ToWriter);
    queue = [];
    queued = [];
  };
  let stopping: Promise<void> | undefined;
  return {
    wakesOutbox: data.wakes !== undefined,
    record(signUp: SignUp): Promise<boolean> {
      if (ended) return Promise.reject(ended);
      return new Promise<boolean>((resolve, reject) => {
        // One message for the sign-ups of a turn: they share a commit on the other side too.
        if (queue.length === 0) setImmediate(flush);
        queue.push(signUp);
        queued.push({ resolve, reject });
      });
    },
    stop: () =>
      (stopping ??= (async () => {
        if (!ended) worker.postMessage({ type: 'stop' } satisfies ToWriter);
        ended ??= new Error('sahifa serve is stopping');
        await exit;
      })()),
  };
}
