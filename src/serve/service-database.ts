import { openDatabase, type OpenDatabaseOptions, type SahifaDatabase } from '../send/database.js';

/**
 * Opens the subscriber database for `sahifa serve` (the request thread's two
 * connections, one for the sign-ups, and the outbox's thread's): as
 * `openDatabase` does (WAL, the schema), with `synchronous = NORMAL` on this connection.
 *
 * Durability: in WAL mode, NORMAL syncs the log at checkpoints rather than
 * at every commit. A commit survives the death of the process (a crash,
 * `kill -9`: the log is in the operating system's hands once the commit
 * returns); only a power cut or a kernel crash can take back the last
 * commits before the next checkpoint, and the database stays consistent
 * then. A sign-up lost that way was never confirmed and the reader can ask
 * again; the fsync the default (FULL) makes on every commit cost more than
 * the rest of a subscribe request (see "Readers subscribe" in the README).
 * `sahifa send` keeps FULL on its own connection.
 *
 * @param path    The database file.
 * @param options How long one statement waits for another writer's lock:
 *   the request thread passes 0 (its writes retry on timers, so any wait
 *   inside SQLite would only stall every other request), the outbox's
 *   thread one slice of `patiently`.
 * @throws {Error} as `openDatabase` does: one line naming the file.
 */
export function openServiceDatabase(path: string, options: Pick<OpenDatabaseOptions, 'busyTimeout'> = {}): SahifaDatabase {
  const db = openDatabase(path, options);
  db.pragma('synchronous = NORMAL');
  return db;
}
