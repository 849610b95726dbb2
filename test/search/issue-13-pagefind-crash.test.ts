import { readdir, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pagefindBinary } from '../../src/search/pagefind-binary.js';
import { sahifa } from '../helpers/cli.js';
import { copyFixture, FIXTURES, GOOD_POST, makeSite, snapshot } from '../helpers/site.js';

/** A Pagefind "binary" that runs the real one and fails as CRASH says (see the script). */
async function crashingPagefind(folder: string): Promise<string> {
  const binary = join(folder, 'crashing-pagefind');
  await writeFile(binary, `#!/bin/sh\nexec "${process.execPath}" "${join(FIXTURES, 'issue-13-pagefind-crash', 'crashing-pagefind.mjs')}" "$@"\n`);
  await chmod(binary, 0o755);
  return binary;
}

/** How an answer to GetFiles that is not a whole bundle is described. */
const ANSWER = "its answer to a request for the index's files ";

const ADVICE = `reinstall the dependencies (npm install) so Pagefind's binary is there, or set "search": false in sahifa.config.json to build without search [search-index]`;

describe('issue 13: a Pagefind binary that stops mid-index fails the build instead of hanging it', () => {
  it.each([
    ['exit-after-answers:3', 'it exited (code 101); it said "thread \'main\' panicked at \\u{1b}[31msrc/service.rs\\u{1b}[0m: gone"'],
    ['exit-after-answers:1', 'it exited (code 101); it said "thread \'main\' panicked at \\u{1b}[31msrc/service.rs\\u{1b}[0m: gone"'],
    ['kill-at-write', 'it was killed (SIGKILL)'],
    ['quiet-exit-at-write', 'it exited (code 0)'],
    ['garbage', 'it answered with something that is not a Pagefind message'],
    ['orphan-error', 'it could not read a message (no such thing)'],
    // An answer that is not a whole bundle fails the same way, writing nothing anywhere.
    ['files:empty', ANSWER + 'left out pagefind-entry.json'],
    ['files:no-entry', ANSWER + 'left out pagefind-entry.json'],
    ['files:not-base64', ANSWER + 'held pagefind-entry.json in a form other than base64'],
    ['files:climb', ANSWER + 'named a file it cannot have made ("../../escape.txt")'],
  ])('%s: one line saying how it stopped; the previous output and the search cache as they were', async (crash, how) => {
    const root = await copyFixture('issue-15-search');
    expect((await sahifa(['build', '--root', root])).status).toBe(0);
    const before = await snapshot(join(root, 'dist'));
    const cacheBefore = await readdir(join(root, '.sahifa', 'cache', 'search'));
    // A new post: the cached index no longer fits, so Pagefind must run.
    await writeFile(join(root, 'posts', '2025-01-08-new.md'), GOOD_POST);
    const binary = await crashingPagefind(root);

    const run = await sahifa(['build', '--root', root], { env: { PAGEFIND_BINARY_PATH: binary, REAL_PAGEFIND: pagefindBinary(), CRASH: crash } });

    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `sahifa.config.json: error the search index could not be built (Pagefind: ${how.startsWith(ANSWER) ? how : `${binary} stopped before the index was written: ${how}`}): ${ADVICE}`,
      'Build failed with 1 error; the previous output was left as it was.',
    ]);
    expect(await snapshot(join(root, 'dist'))).toEqual(before);
    // No staging folder is left behind, and the index kept before is still there.
    expect(await readdir(join(root, '.sahifa', 'cache', 'search'))).toEqual(cacheBefore);
    expect(await readdir(root)).not.toContain('escape.txt');
    expect(await readdir(join(root, '.sahifa', 'cache'))).not.toContain('escape.txt');
  });

  it('says how Pagefind ended when it exits with more pages left to index than one window of records (64)', async () => {
    // More pages than the records sent before waiting for answers (64), so some are written after Pagefind has gone.
    const posts = Object.fromEntries(Array.from({ length: 150 }, (_, n) => [`posts/p${n}.md`, `---\ntitle: "مقال ${n}"\ndate: 2025-01-01\nslug: p${n}\n---\n\nنص المقال رقم ${n}.\n`]));
    const root = await makeSite(posts);
    const binary = await crashingPagefind(root);
    const run = await sahifa(['build'], { cwd: root, env: { PAGEFIND_BINARY_PATH: binary, REAL_PAGEFIND: pagefindBinary(), CRASH: 'exit-after-answers:2' } });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `sahifa.config.json: error the search index could not be built (Pagefind: ${binary} stopped before the index was written: it exited (code 101); it said "thread 'main' panicked at \\u{1b}[31msrc/service.rs\\u{1b}[0m: gone"): ${ADVICE}`,
      'Build failed with 1 error; nothing was written.',
    ]);
  });

  it('builds with the same binary when it does not fail (the stand-in passes everything through)', async () => {
    const root = await copyFixture('issue-15-search');
    const binary = await crashingPagefind(root);
    const run = await sahifa(['build', '--root', root], { env: { PAGEFIND_BINARY_PATH: binary, REAL_PAGEFIND: pagefindBinary(), CRASH: 'none' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(Object.keys(await snapshot(join(root, 'dist', 'blog', 'pagefind')))).toContain('pagefind-entry.json');
  });
});
