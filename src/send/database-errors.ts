import Database from 'better-sqlite3';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where to change the database's place, ending every message that needs it. */
const ELSEWHERE = 'or set "database" in sahifa.config.json to another file';

/**
 * Whether an error comes from SQLite.
 *
 * @param error What was thrown.
 */
export function isSqliteError(error: unknown): error is InstanceType<typeof Database.SqliteError> {
  return error instanceof Database.SqliteError;
}

/**
 * Whether an error is SQLite saying another connection holds the lock it
 * needs (after waiting `busy_timeout`).
 *
 * @param error What was thrown.
 */
export function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code);
}

/**
 * Turns a failure to open, read or write the database into one line that
 * names the file and says what to do (the SQLite or system reason in
 * brackets). Errors that already say so pass through.
 *
 * @param path  The database file.
 * @param error What was thrown.
 */
export function databaseError(path: string, error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string') return error instanceof Error ? error : new Error(reason);
  if (/^SQLITE_(NOTADB|CORRUPT)/.test(code)) {
    return new Error(`${path} is not a sahifa database (${reason}): move that file away, ${ELSEWHERE}`);
  }
  if (/^SQLITE_READONLY/.test(code) || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new Error(`${path} cannot be written (${reason}): make the file and its folder writable (SQLite keeps -wal and -shm files beside it), ${ELSEWHERE}`);
  }
  if (isBusy(error)) {
    return new Error(`${path} is busy: another process (a running \`sahifa send\`?) kept it locked (${reason}): try again when it has finished`);
  }
  if (/^SQLITE_FULL/.test(code) || code === 'ENOSPC') return new Error(`${path}: the disk is full (${reason}): free some space, ${ELSEWHERE}`);
  if (code === 'ENOTDIR' || code === 'EEXIST') return new Error(`${dirname(path)} is not a folder (${reason}): ${ELSEWHERE.replace(/^or /, '')}`);
  if (/^SQLITE_CANTOPEN/.test(code)) {
    if (isFolder(path)) return new Error(`${path} is a folder, not a database file: ${ELSEWHERE.replace(/^or /, '')}`);
    if (!canWrite(dirname(path))) {
      return new Error(`${path} cannot be created or written: its folder ${dirname(path)} is read-only (a read-only disk, or its permissions; SQLite keeps -wal and -shm files beside the database): make it writable, ${ELSEWHERE}`);
    }
    return new Error(`${path} cannot be opened (${reason}): check that its folder can be written, ${ELSEWHERE}`);
  }
  return new Error(`${path}: the database failed (${reason})`);
}

/** Whether this process may create files in a folder (false on a read-only disk too). */
function canWrite(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `path` is a folder (false when it is missing or cannot be read). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
