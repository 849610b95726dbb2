import type { SiteConfig } from '../../config/schema.js';
import type { LinkMaker } from '../confirm-link.js';
import { spawnWorker } from '../../system/spawn-worker.js';
import type { Drainer, DrainerOptions } from './drainer.js';

/** What the drainer's thread starts from (structured-cloned into it). */
export interface DrainerThreadData {
  root: string;
  config: SiteConfig;
  /** The database file (the thread opens a connection of its own). */
  dbPath: string;
  smtpUrl: string;
  /** Secret and public address, for the confirmation links. */
  links: LinkMaker;
  pacing: Pick<DrainerOptions, 'concurrency' | 'rate' | 'retryDelayMs' | 'maxAttempts' | 'patience'>;
  /** Milliseconds between this thread's checkpoints of the write-ahead log (0: none). */
  checkpointIntervalMs: number;
}

/** Messages to the thread. */
export type ToDrainer = { type: 'wake' } | { type: 'settled'; id: number } | { type: 'stop' };

/** Messages from the thread. */
export type FromDrainer =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  | { type: 'failure'; kind: string; reason: string }
  | { type: 'settled'; id: number }
  | { type: 'stopped' };

/**
 * Starts the outbox's drainer in a worker thread and resolves once it has
 * loaded its templates and compiled the email layouts. The request thread
 * only tells it, after each commit, that an email is waiting.
 *
 * @param data      Site, database and SMTP server.
 * @param onFailure Reports an email that was not sent (a line without the address).
 * @throws {Error} when the thread cannot start (its reason, one line).
 */
export async function startDrainerThread(data: DrainerThreadData, onFailure: (kind: string, reason: string) => void): Promise<Drainer> {
  const worker = spawnWorker(import.meta.url, 'worker', data);
  const settledWaiters = new Map<number, () => void>();
  let nextId = 0;
  let stopped: Promise<void> | undefined;
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  await new Promise<void>((ready, fail) => {
    worker.on('message', (message: FromDrainer) => {
      if (message.type === 'ready') ready();
      else if (message.type === 'error') fail(new Error(message.message));
      else if (message.type === 'failure') onFailure(message.kind, message.reason);
      else if (message.type === 'settled') {
        settledWaiters.get(message.id)?.();
        settledWaiters.delete(message.id);
      } else if (message.type === 'stopped') void worker.terminate();
    });
    worker.once('error', (error) => fail(error));
    worker.once('exit', (code) => fail(new Error(`the outbox's thread stopped (exit code ${code})`)));
  });
  worker.on('error', (error) => onFailure('outbox', error.message));
  worker.once('exit', (code) => {
    if (!stopped) onFailure('outbox', `the sending thread stopped (exit code ${code}); emails wait in the outbox until sahifa serve starts again`);
  });
  void exit.then(() => {
    // A thread that ended cannot settle anything: nobody waits for it for ever.
    for (const resolve of settledWaiters.values()) resolve();
    settledWaiters.clear();
  });
  const send = (message: ToDrainer) => {
    if (!exited) worker.postMessage(message);
  };
  // One message for all the commits of a turn of the event loop (a group commit wakes once per request in it).
  let wakeQueued = false;
  const wake = () => {
    wakeQueued = false;
    send({ type: 'wake' });
  };
  return {
    wake: () => {
      if (wakeQueued) return;
      wakeQueued = true;
      setImmediate(wake);
    },
    settled: () =>
      exited
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            nextId += 1;
            settledWaiters.set(nextId, resolve);
            send({ type: 'settled', id: nextId });
          }),
    stop: () =>
      (stopped ??= (async () => {
        send({ type: 'stop' });
        await exit;
      })()),
  };
}
