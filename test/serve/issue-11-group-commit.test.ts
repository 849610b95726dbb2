import Database from 'better-sqlite3';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SahifaDatabase } from '../../src/send/database.js';
import { isBusy } from '../../src/send/database-errors.js';
import { groupCommit } from '../../src/serve/group-commit.js';
import { pooledRandomBytes } from '../../src/serve/random-pool.js';

const open: Array<{ close(): unknown }> = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

async function database(): Promise<{ path: string; db: SahifaDatabase }> {
  const path = join(await mkdtemp(join(tmpdir(), 'sahifa-group-commit-')), 'site.db');
  const db = openDatabase(path, { busyTimeout: 50 });
  db.exec('CREATE TABLE t (value TEXT UNIQUE)');
  open.push(db);
  return { path, db };
}

describe('issue 11: subscribe writes that arrive together share one commit', () => {
  it('runs the tasks of one turn in one transaction, in order, each answered after the commit; a failing task is rolled back alone', async () => {
    const { path, db } = await database();
    const reader = new Database(path, { readonly: true });
    open.push(reader);
    const commits = groupCommit(db, { patience: 1000 });
    const insert = db.prepare('INSERT INTO t (value) VALUES (?)');
    const seen: Array<{ inTransaction: boolean; before: number }> = [];
    const task = (value: string) => () => {
      seen.push({ inTransaction: db.inTransaction, before: (db.prepare('SELECT count(*) FROM t').pluck().get() as number) });
      insert.run(value);
      return value;
    };
    const outcomes = await Promise.allSettled([commits.run(task('a')), commits.run(task('b')), commits.run(task('a')), commits.run(task('c'))]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    // One transaction: every task ran inside it and saw the ones before it (the failed one left nothing).
    expect(seen).toEqual([
      { inTransaction: true, before: 0 },
      { inTransaction: true, before: 1 },
      { inTransaction: true, before: 2 },
      { inTransaction: true, before: 2 },
    ]);
    // Committed by the time the promises settled: another connection reads them.
    expect(reader.prepare('SELECT value FROM t ORDER BY rowid').pluck().all()).toEqual(['a', 'b', 'c']);
  });

  it('waits for another connection\'s write lock, then commits; past its patience every task of the batch gets the busy error and nothing is written', async () => {
    const { path, db } = await database();
    const other = new Database(path);
    open.push(other);
    other.exec('BEGIN IMMEDIATE');
    const patient = groupCommit(db, { patience: 60_000 });
    const waiting = Promise.all([patient.run(() => db.prepare("INSERT INTO t VALUES ('late1')").run()), patient.run(() => db.prepare("INSERT INTO t VALUES ('late2')").run())]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    other.exec('COMMIT');
    await waiting;
    expect(other.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2);

    other.exec('BEGIN IMMEDIATE');
    const impatient = groupCommit(db, { patience: 100 });
    const outcomes = await Promise.allSettled([impatient.run(() => db.prepare("INSERT INTO t VALUES ('x')").run()), impatient.run(() => db.prepare("INSERT INTO t VALUES ('y')").run())]);
    other.exec('COMMIT');
    expect(outcomes.every((outcome) => outcome.status === 'rejected' && isBusy(outcome.reason))).toBe(true);
    expect(other.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2);
  });
});

describe('issue 11: the request thread never sleeps waiting for the lock', () => {
  it('with a connection that waits 0 ms, tries again on timers while another connection writes: the event loop runs, and the tasks that arrive meanwhile join the same commit', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'sahifa-group-commit-')), 'site.db');
    const db = openDatabase(path, { busyTimeout: 0 });
    open.push(db);
    db.exec('CREATE TABLE t (value TEXT UNIQUE)');
    const other = new Database(path);
    const reader = new Database(path, { readonly: true });
    open.push(other, reader);
    const waits: number[] = [];
    const commits = groupCommit(db, { patience: 60_000, onBusy: (_attempt, waited) => waits.push(waited) });
    other.exec('BEGIN IMMEDIATE');
    const seenByReader: string[][] = [];
    const insert = (value: string) => () => {
      seenByReader.push(reader.prepare('SELECT value FROM t ORDER BY rowid').pluck().all() as string[]);
      db.prepare('INSERT INTO t VALUES (?)').run(value);
    };
    const first = commits.run(insert('first'));
    // Timers keep firing while the first task waits for the lock: nothing blocks in SQLite.
    let ticks = 0;
    while (ticks < 30) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      ticks += 1;
    }
    const second = commits.run(insert('second'));
    await new Promise((resolve) => setImmediate(resolve));
    other.exec('COMMIT');
    await Promise.all([first, second]);
    // One commit for both: while the second task ran, another connection did not yet see the first.
    expect(seenByReader).toEqual([[], []]);
    expect(reader.prepare('SELECT value FROM t ORDER BY rowid').pluck().all()).toEqual(['first', 'second']);
    // Waits are reported once a slice has passed, not on every short retry.
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(200);
  });
});

describe('issue 11: random bytes from the pool', () => {
  it('gives the size asked for, never the same bytes twice, across refills and past the pool size', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const bytes = pooledRandomBytes(i % 2 ? 12 : 16);
      expect(bytes).toHaveLength(i % 2 ? 12 : 16);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(2000);
    const first = pooledRandomBytes(16);
    const copy = Buffer.from(first);
    pooledRandomBytes(4000);
    for (let i = 0; i < 300; i += 1) pooledRandomBytes(16);
    // A handed-out buffer owns its memory: refilling the pool does not change it.
    expect(first.equals(copy)).toBe(true);
    expect(pooledRandomBytes(10_000)).toHaveLength(10_000);
  });
});
