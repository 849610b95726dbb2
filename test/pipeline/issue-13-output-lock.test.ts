import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { outputLockFile } from '../../src/pipeline/output-lock.js';
import { BIN } from '../helpers/cli.js';
import { copyFixture, snapshot } from '../helpers/site.js';

const NOW = new Date('2026-01-01T00:00:00Z');

describe('issue 13: builds into one output folder take turns', () => {
  it('lets a second build at the same time wait for the first, and both leave a whole output', async () => {
    const root = await copyFixture('cache-site');
    const out = join(root, 'dist');
    await build({ root, out, now: NOW });
    const waits: string[] = [];
    const results = await Promise.all(['first', 'second'].map((name) => build({ root, out, now: NOW, onWait: () => waits.push(name) })));
    expect(results).toHaveLength(2);
    // Exactly one of them found the folder taken.
    expect(waits).toHaveLength(1);
    expect((await readdir(out)).filter((name) => name.startsWith('.sahifa.'))).toEqual([]);
    await build({ root, out: join(root, 'clean'), now: NOW, cache: false });
    expect(await snapshot(out)).toEqual(await snapshot(join(root, 'clean')));
  });

  it('waits for a build in another process, and goes on the moment that process is killed', async () => {
    const root = await copyFixture('cache-site');
    const out = join(root, 'dist');
    // Another process holds the lock (as a build would) until it is killed with SIGKILL.
    await mkdir(dirname(outputLockFile(root, out)), { recursive: true });
    const holder = spawn(
      process.execPath,
      ['-e', `const db = new (require('better-sqlite3'))(process.argv[1], { timeout: 0 }); db.exec('BEGIN EXCLUSIVE'); console.log('locked'); setInterval(() => {}, 1000);`, outputLockFile(root, out)],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    holder.on('error', () => undefined);
    const exited = once(holder, 'exit');
    const lines = createInterface({ input: holder.stdout! });
    const [line] = (await Promise.race([once(lines, 'line'), exited.then(() => ['exited'])])) as [string];
    expect(line).toBe('locked');
    let waited = false;
    const building = build({
      root,
      out,
      now: NOW,
      onWait: () => {
        waited = true;
        holder.kill('SIGKILL');
      },
    });
    const result = await building;
    expect(waited).toBe(true);
    expect(result.posts.length).toBeGreaterThan(0);
    expect((await exited)[1]).toBe('SIGKILL');
  });

  it('sahifa build says in one line that it waits, then builds', async () => {
    const root = await copyFixture('cache-site');
    const lockFile = outputLockFile(root, join(root, 'dist'));
    await mkdir(dirname(lockFile), { recursive: true });
    const lock = new Database(lockFile, { timeout: 0 });
    lock.exec('BEGIN EXCLUSIVE');
    const child = spawn(process.execPath, [BIN, 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', () => undefined);
    const exited = once(child, 'exit');
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += String(chunk)));
    const [line] = (await once(createInterface({ input: child.stderr! }), 'line')) as [string];
    expect(line).toBe('Waiting for another build into dist to finish…');
    lock.exec('ROLLBACK');
    lock.close();
    expect((await exited)[0]).toBe(0);
    expect(stdout).toMatch(/^Built 4 posts/);
  });

  it('builds without a lock where none can be made (the cache folder cannot hold one)', async () => {
    const root = await copyFixture('cache-site');
    const lockFile = outputLockFile(root, join(root, 'dist'));
    // A file where the locks' folder should be: no lock file can be made inside it.
    await mkdir(dirname(dirname(lockFile)), { recursive: true });
    await writeFile(dirname(lockFile), 'not a folder');
    const result = await build({ root, now: NOW });
    expect(result.posts.length).toBeGreaterThan(0);
  });
});
