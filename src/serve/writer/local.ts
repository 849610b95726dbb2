import type { SahifaDatabase } from '../../send/database.js';
import { groupCommit, type GroupCommitOptions } from '../group-commit.js';
import { openServiceDatabase } from '../service-database.js';
import { recordSignUp, type SignUp, type SignUpWriter } from './sign-up.js';

/**
 * Pages (4 KiB each by default) in the write-ahead log past which the
 * sign-ups' connection checkpoints it after a commit (SQLite's
 * `wal_autocheckpoint`), and the size the log file is cut back to
 * afterwards. The outbox's thread checkpoints every second; at the lowest
 * CPU priority it may not run for as long as a burst of sign-ups lasts, and
 * the log grew without bound meanwhile (59 MiB in 20,000 requests on one
 * core). 16 MiB is seconds of commits at the service's full rate, so in
 * normal running the sign-ups never checkpoint.
 */
export const WAL_CHECKPOINT_PAGES = 4096;

/**
 * Sign-ups written on the given connection, on this thread, those of one
 * turn of the event loop in one commit (see `groupCommit`).
 *
 * @param db      The database.
 * @param options How long a write may wait for the lock.
 */
export function localSignUps(db: SahifaDatabase, options: GroupCommitOptions): SignUpWriter {
  const commits = groupCommit(db, options);
  return {
    record: (signUp: SignUp) => commits.run(() => recordSignUp(db, signUp)),
    // Each write is awaited by its request, and the server waits for its requests before stopping this.
    stop: () => Promise.resolve(),
  };
}

/**
 * Sign-ups written on a connection of their own, opened here and closed by
 * `stop`: it never sleeps in SQLite for a lock (busy timeout 0; the group
 * commit retries on timers), and it checkpoints the log only once the log
 * outgrows `walCheckpointPages`, then cuts the file back to that size.
 *
 * Committed on the thread that answers readers, not on a thread of its own:
 * measured in bench rounds 9 and 10 and a session between them (README,
 * "Readers subscribe"; round 7 found no difference), the hop to a writer's
 * thread and back cost more than the inserts and the commit it took off
 * this thread.
 *
 * @param path    The database file.
 * @param options Patience, and the log's bound in pages (0: never checkpoint here).
 * @throws {Error} as `openDatabase` does: one line naming the file.
 */
export function openSignUpWriter(path: string, options: GroupCommitOptions & { walCheckpointPages: number }): SignUpWriter {
  const db = openServiceDatabase(path, { busyTimeout: 0 });
  try {
    db.pragma(`wal_autocheckpoint = ${options.walCheckpointPages}`);
    if (options.walCheckpointPages > 0) db.pragma(`journal_size_limit = ${options.walCheckpointPages * (db.pragma('page_size', { simple: true }) as number)}`);
  } catch (error) {
    db.close();
    throw error;
  }
  const writes = localSignUps(db, options);
  return {
    record: writes.record,
    // As localSignUps: no write is left once the server stops this (it waits for its requests first).
    stop: () => {
      if (db.open) db.close();
      return Promise.resolve();
    },
  };
}
