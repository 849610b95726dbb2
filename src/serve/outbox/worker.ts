/**
 * The outbox's drainer in a worker thread (see thread.ts): it renders and
 * sends the service's emails on a database connection of its own, so the
 * thread that answers readers never runs nodemailer or mjml.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SLICE_MS } from '../../send/patient-write.js';
import { lowerThisThreadPriority } from '../../system/thread-priority.js';
import { openServiceDatabase } from '../service-database.js';
import { loadMailKit, renderServiceEmail, warmServiceEmails } from '../mail.js';
import { startDrainer } from './drainer.js';
import { serviceTransport } from './smtp.js';
import type { FromDrainer, ToDrainer, DrainerThreadData } from './thread.js';

const data = workerData as DrainerThreadData;
const port = parentPort!;
const post = (message: FromDrainer) => port.postMessage(message);

try {
  // One slice of `patiently` as the lock wait: its retries are asynchronous, and a hand-over that cannot be
  // recorded within it is retried later (the server never got the final dot).
  const db = openServiceDatabase(data.dbPath, { busyTimeout: SLICE_MS });
  // This thread folds the write-ahead log back into the database (the request thread's connection does not; the
  // sign-ups' only past WAL_CHECKPOINT_PAGES; see server.ts).
  const checkpoints =
    data.checkpointIntervalMs > 0
      ? setInterval(() => {
          try {
            db.pragma('wal_checkpoint(PASSIVE)');
          } catch {
            // A busy or failed checkpoint is retried at the next tick; commits do not depend on it.
          }
        }, data.checkpointIntervalMs)
      : undefined;
  checkpoints?.unref();
  const kit = await loadMailKit(data.root, data.config);
  await warmServiceEmails(kit);
  const transport = serviceTransport(data.config, data.smtpUrl, data.pacing.concurrency);
  // Readers' answers come first: this thread's emails (mjml, nodemailer: milliseconds of CPU each) use the CPU
  // the request thread leaves; they wait in the outbox meanwhile, committed. Lowered only
  // now: the service listens once this thread is ready, and on a busy machine a warm-up at the lowest priority
  // held the start back by tens of seconds. A thread inherits the priority of the thread that starts it: libuv's
  // pool is already running (the service read its configuration and templates through it), so it keeps its own.
  lowerThisThreadPriority();
  const drainer = startDrainer({ db, transport, render: (email) => renderServiceEmail(kit, email), links: data.links, ...data.pacing, onFailure: (kind, reason) => post({ type: 'failure', kind, reason }) });
  port.on('message', (message: ToDrainer) => {
    if (message.type === 'wake') drainer.wake();
    else if (message.type === 'settled') void drainer.settled().then(() => post({ type: 'settled', id: message.id }));
    else if (message.type === 'stop') {
      void (async () => {
        clearInterval(checkpoints);
        await drainer.stop();
        await transport.close();
        db.close();
        post({ type: 'stopped' });
        port.close();
      })();
    }
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
