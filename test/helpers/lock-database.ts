import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { REPO } from './site.js';

/** A lock on a database held by another process, until released. */
export interface HeldLock {
  /** Commits the other process's transaction and waits for it to exit. */
  release(): Promise<void>;
}

const SCRIPT = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.exec('BEGIN IMMEDIATE');
db.prepare("UPDATE subscribers SET updated_at = updated_at").run();
process.stdout.write('locked\\n');
process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });
`;

/**
 * Starts a child process that opens the database and holds its write lock
 * (`BEGIN IMMEDIATE` with a write, as a running `sahifa send` does between
 * statements, only longer): other writers wait, readers do not (WAL).
 *
 * @param path The database file.
 * @returns Once the lock is held.
 */
export async function holdDatabaseLock(path: string): Promise<HeldLock> {
  const child = spawn(process.execPath, ['-e', SCRIPT, path], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let out = '';
  await new Promise<void>((locked, failed) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('locked\n')) locked();
    });
    child.once('exit', (code) => failed(new Error(`the locking process exited (${code}) before it held the lock`)));
  });
  return {
    async release() {
      child.stdin.end('release\n');
      await exited;
    },
  };
}
