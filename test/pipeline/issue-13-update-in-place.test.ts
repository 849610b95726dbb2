import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, listingHash } from '../../src/cache/file-listing.js';
import { build } from '../../src/pipeline/build.js';
import { openOutput } from '../../src/pipeline/open-output.js';
import { finishInterruptedUpdates, UpdatedOutput } from '../../src/pipeline/update-in-place.js';
import { OUTPUT_MARKER } from '../../src/pipeline/write-atomically.js';
import { copyFixture, snapshot } from '../helpers/site.js';

const NOW = new Date('2026-01-01T00:00:00Z');

/** The inode of every file under a folder, by relative path: a file rewritten or linked anew gets another. */
async function inodes(folder: string): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) result[join(entry.parentPath, entry.name).slice(folder.length + 1)] = (await stat(join(entry.parentPath, entry.name))).ino;
  }
  return result;
}

/** Temporary folders a write leaves inside the output. */
async function stagingFolders(out: string): Promise<string[]> {
  return (await readdir(out)).filter((name) => name.startsWith('.sahifa.'));
}

/** The id of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  child.on('error', () => undefined);
  await once(child, 'exit');
  return child.pid!;
}

/** The post file of the cache fixture that a test edits. */
async function firstPost(root: string): Promise<string> {
  const name = (await readdir(join(root, 'posts'))).filter((file) => file.endsWith('.md')).sort()[0]!;
  return join(root, 'posts', name);
}

describe('issue 13: a rebuild updates the output folder in place', () => {
  it('touches only the files whose bytes changed, removes stale ones, and equals a clean build', async () => {
    const root = await copyFixture('cache-site');
    const out = join(root, 'dist');
    await build({ root, out, now: NOW });
    const before = await inodes(out);
    // A file put into the output by hand and a stale folder go, as they did when the folder was replaced whole.
    await mkdir(join(out, 'blog', 'stale', 'deep'), { recursive: true });
    await writeFile(join(out, 'blog', 'stale', 'deep', 'index.html'), 'left over');
    await writeFile(join(out, 'notes.txt'), 'by hand');

    const post = await firstPost(root);
    await writeFile(post, `${await readFile(post, 'utf8')}\nسطر جديد في التدوينة.\n`);
    await build({ root, out, now: NOW });

    const after = await inodes(out);
    const kept = Object.keys(after).filter((path) => path !== OUTPUT_MARKER && before[path] === after[path]);
    const replaced = Object.keys(after).filter((path) => path !== OUTPUT_MARKER && before[path] !== after[path]);
    expect(kept.length).toBeGreaterThan(replaced.length);
    expect(replaced.length).toBeGreaterThan(0);
    expect(existsSync(join(out, 'blog', 'stale'))).toBe(false);
    expect(existsSync(join(out, 'notes.txt'))).toBe(false);
    expect(await stagingFolders(out)).toEqual([]);

    await build({ root, out: join(root, 'clean'), now: NOW, cache: false });
    expect(await snapshot(out)).toEqual(await snapshot(join(root, 'clean')));
    const manifest = JSON.parse(await readFile(join(out, OUTPUT_MARKER), 'utf8')) as { files: Record<string, number> };
    expect(Object.keys(manifest.files).sort()).toEqual(Object.keys(after).filter((path) => path !== OUTPUT_MARKER).sort());
  });

  it('puts every file back when a move fails halfway through the commit', async () => {
    const root = await copyFixture('cache-site');
    const out = join(root, 'dist');
    await build({ root, out, now: NOW });
    const before = await snapshot(out);
    // One file the previous output had is left out, so the commit also has a removal to undo.
    const dropped = Object.keys(before).find((path) => path.startsWith('email/'))!;
    const output = await openOutput(out);
    expect(output).toBeInstanceOf(UpdatedOutput);
    for (const path of Object.keys(before)) if (path !== OUTPUT_MARKER && path !== dropped) expect(await output.reuse({ path, ...(await recordFor(out, path)) })).toBe(true);
    await output.write('blog/index.html', 'new home');
    await output.write('zzz/last.html', 'the last move');
    // The last move's file vanishes before the commit: the removal and the moves before it must be undone.
    const staging = join(out, (await stagingFolders(out))[0]!);
    await rm(join(staging, 'files', 'zzz', 'last.html'));
    await expect(output.commit()).rejects.toThrow(/cannot update the output folder \(ENOENT\); the previous output was left as it was/);
    expect(await snapshot(out)).toEqual(before);
    expect(await stagingFolders(out)).toEqual([]);
  });

  it('keeps the listing of the folder as it leaves it, the same as a fresh walk, for the build stamp', async () => {
    const root = await copyFixture('cache-site');
    const out = join(root, 'dist');
    await build({ root, out, now: NOW });
    const before = await snapshot(out);
    const dropped = Object.keys(before).find((path) => path.startsWith('email/'))!;
    // A link where a file of the previous output was: its bytes cannot be trusted, it is written again.
    await rm(join(out, 'blog', 'feed.xml'));
    await symlink(join(out, 'blog', 'rss.xml'), join(out, 'blog', 'feed.xml'));
    const output = await openOutput(out);
    for (const path of Object.keys(before)) {
      if (path === OUTPUT_MARKER || path === dropped) continue;
      const kept = await output.reuse({ path, ...(await recordFor(out, path)) });
      expect(kept, path).toBe(path !== 'blog/feed.xml');
      if (!kept) await output.write(path, before[path] as string);
    }
    await output.write('blog/index.html', 'new home');
    await output.write('blog/added/index.html', 'a new page');
    await output.commit();
    expect(output.files).toBeDefined();
    expect(listingHash([[out, output.files!]])).toBe(listingHash([[out, listFiles(out)]]));
    expect(output.files!.has(dropped)).toBe(false);
    expect(output.files!.get('blog/feed.xml')?.file).toBe(true);
  });

  it('finishes an update that a killed build had decided, and ignores one it had not', async () => {
    const root = await copyFixture('cache-site');
    const out = join(root, 'dist');
    await build({ root, out, now: NOW });
    const before = await snapshot(out);
    const dead = await deadPid();
    const removed = Object.keys(before).find((path) => path.startsWith('email/'))!;

    // Killed after its journal was written, with one move done already.
    const decided = join(out, `.sahifa.new-${dead}-0123abcd`);
    await put(join(decided, 'files', 'blog', 'index.html'), 'the new home');
    await put(join(decided, 'files', OUTPUT_MARKER), '{"note":"new"}\n');
    await put(join(out, 'blog', 'new', 'index.html'), 'moved before the kill');
    await put(join(decided, 'journal.json'), JSON.stringify({ moves: ['blog/index.html', 'blog/new/index.html', OUTPUT_MARKER], removals: [removed] }));
    // Killed before its journal: nothing of it may reach the output.
    const undecided = join(out, `.sahifa.new-${dead}-89abcdef`);
    await put(join(undecided, 'files', 'blog', 'index.html'), 'never decided');
    await put(join(undecided, 'journal.json.tmp'), '{"moves":["blog/index.html"],"removals":[]}');

    finishInterruptedUpdates(out);
    expect(await readFile(join(out, 'blog', 'index.html'), 'utf8')).toBe('the new home');
    expect(await readFile(join(out, 'blog', 'new', 'index.html'), 'utf8')).toBe('moved before the kill');
    expect(await readFile(join(out, OUTPUT_MARKER), 'utf8')).toBe('{"note":"new"}\n');
    expect(existsSync(join(out, removed))).toBe(false);
    expect(await stagingFolders(out)).toEqual([`.sahifa.new-${dead}-89abcdef`]);

    // The next build throws the undecided folder away and writes the whole output again.
    await build({ root, out, now: NOW });
    expect(await stagingFolders(out)).toEqual([]);
    const { [OUTPUT_MARKER]: _marker, ...pages } = await snapshot(out);
    const { [OUTPUT_MARKER]: _before, ...pagesBefore } = before;
    expect(pages).toEqual(pagesBefore);
  });
});

async function put(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/** The record of a file of the previous output as the manifest has it. */
async function recordFor(out: string, path: string): Promise<{ sha256: string; size: number; text: boolean }> {
  const manifest = JSON.parse(await readFile(join(out, OUTPUT_MARKER), 'utf8')) as { files: Record<string, number>; sha256: Record<string, string> };
  return { sha256: manifest.sha256[path]!, size: manifest.files[path]!, text: true };
}
