import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheRoot } from '../cache/cache-root.js';

/** How often a build waiting for another's lock looks again. */
const RETRY_MS = 50;

/**
 * The lock file of an output folder: one per folder, under the site's cache.
 *
 * @param root   The site root.
 * @param outDir Absolute path of the output folder.
 */
export function outputLockFile(root: string, outDir: string): string {
  return join(cacheRoot(root), 'locks', `${createHash('sha256').update(outDir).digest('hex').slice(0, 16)}.lock`);
}

/**
 * Takes the lock of an output folder for one build, waiting while another
 * build (another process, or `sahifa dev` in this one) holds it: two builds
 * updating one folder in place at once could each remove or replace what
 * the other just wrote. The lock is an exclusive SQLite transaction on a
 * file in `.sahifa/cache/locks/`, so the operating system releases it the
 * moment its holder ends, even when killed with `kill -9`: a lock file of
 * our own would have to guess whether its writer still runs, and
 * proper-lockfile guesses by the file's age (a build after a killed one
 * would wait seconds).
 *
 * @param root   The site root.
 * @param outDir Absolute path of the output folder.
 * @param onWait Called once if the lock is held by another build.
 * @returns Releases the lock (a lock that cannot be made at all, in a cache folder that cannot be
 *   written, is not taken: the build goes on as it did before there was one).
 */
export async function lockOutput(root: string, outDir: string, onWait?: () => void): Promise<() => void> {
  const file = outputLockFile(root, outDir);
  let db: Database.Database;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: 0 });
  } catch {
    // A site whose cache folder cannot be written (read-only) builds as before, without a lock, as its caches are off too.
    return () => undefined;
  }
  let waited = false;
  for (;;) {
    try {
      db.exec('BEGIN EXCLUSIVE');
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') {
        db.close();
        return () => undefined;
      }
      if (!waited) onWait?.();
      waited = true;
      // Waited for on a timer, not in SQLite's busy handler, which would block the event loop (`sahifa dev` serves pages meanwhile).
      await sleep(RETRY_MS);
    }
  }
  return () => {
    db.exec('ROLLBACK');
    db.close();
  };
}
