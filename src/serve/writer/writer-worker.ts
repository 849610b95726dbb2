/**
 * The sign-up writer's thread (see thread.ts): it commits the subscribe
 * requests' writes on a database connection of its own, so the thread that
 * answers readers spends no time in SQLite's inserts and commits, nor waits
 * for the disk.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openServiceDatabase } from '../service-database.js';
import { groupCommit } from '../group-commit.js';
import { recordSignUp } from './sign-up.js';
import type { FromWriter, ToWriter, WriterThreadData } from './thread.js';

const data = workerData as WriterThreadData;
const port = parentPort!;
const post = (message: FromWriter) => port.postMessage(message);

try {
  // No wait inside SQLite (see groupCommit); the outbox's thread checkpoints the log, this one only should it
  // outgrow its bound (see WAL_CHECKPOINT_PAGES), and then cuts the file back.
  const db = openServiceDatabase(data.dbPath, { busyTimeout: 0 });
  db.pragma(`wal_autocheckpoint = ${data.walCheckpointPages}`);
  if (data.walCheckpointPages > 0) db.pragma(`journal_size_limit = ${data.walCheckpointPages * (db.pragma('page_size', { simple: true }) as number)}`);
  const commits = groupCommit(db, { patience: data.patience, onBusy: (attempt, waited) => post({ type: 'busy', attempt, waited }) });
  let pending = 0;
  let stopping = false;
  // One wake for the outbox's thread per turn whose commits queued emails.
  let wakeQueued = false;
  const wake = () => {
    wakeQueued = false;
    data.wakes?.postMessage(null);
  };
  const stop = () => {
    data.wakes?.close();
    db.close();
    post({ type: 'stopped' });
    port.close();
  };
  port.on('message', (message: ToWriter) => {
    if (message.type === 'stop') {
      stopping = true;
      if (pending === 0) stop();
      return;
    }
    // Every batch that arrives in one turn of this thread's loop shares a commit.
    pending += 1;
    void Promise.allSettled(message.signUps.map((signUp) => commits.run(() => recordSignUp(db, signUp)))).then((settled) => {
      if (data.wakes && !wakeQueued && settled.some((outcome) => outcome.status === 'fulfilled' && outcome.value)) {
        wakeQueued = true;
        setImmediate(wake);
      }
      post({
        type: 'done',
        id: message.id,
        outcomes: settled.map((outcome) =>
          outcome.status === 'fulfilled' ? { send: outcome.value } : { error: errorOf(outcome.reason) },
        ),
      });
      pending -= 1;
      if (stopping && pending === 0) stop();
    });
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}

/** What crosses back for a failed write: its message and SQLite's code, so the request thread can tell busy from broken. */
function errorOf(reason: unknown): { message: string; code?: string } {
  const code = (reason as { code?: unknown } | null)?.code;
  return { message: reason instanceof Error ? reason.message : String(reason), ...(typeof code === 'string' ? { code } : {}) };
}
