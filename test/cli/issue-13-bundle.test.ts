import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Tinypool from 'tinypool';
import { describe, expect, it } from 'vitest';
import { BUNDLE_HASH_FILE } from '../../src/cache/cache-root.js';
import { loadConfig } from '../../src/config/load-config.js';
import { build } from '../../src/pipeline/build.js';
import type { RenderAnswer, RenderTask } from '../../src/pipeline/render-worker.js';
import { BIN, sahifa } from '../helpers/cli.js';
import { copyFixture, REPO, snapshot } from '../helpers/site.js';

const NOW = new Date('2026-01-01T00:00:00Z');

// The CLI ships bundled (scripts/bundle.mjs, lib/bundle/): its worker threads are entries of their own, found beside it.
describe('issue 13: the bundled CLI', () => {
  it('is what the package runs, and builds the same bytes as the code it was bundled from', async () => {
    const manifest = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(join(REPO, manifest.bin.sahifa!)).toBe(BIN);
    const root = await copyFixture('cache-site');
    const run = await sahifa(['build', '--root', root, '--out', join(root, 'bundled')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Built \d+ posts?: /m);
    const memory = await build({ root, write: false, now: new Date() });
    for (const [path, content] of memory.files) {
      if (!path.endsWith('.html') || !path.startsWith('blog/')) continue;
      expect(await readFile(join(root, 'bundled', path), 'utf8'), path).toBe(String(content));
    }
  });

  it('carries the hash of its own files, which the caches key on instead of hashing them each build', async () => {
    const folder = join(REPO, 'lib', 'bundle');
    const hash = createHash('sha256');
    for (const name of (await readdir(folder)).filter((file) => /\.c?js$/.test(file)).sort()) hash.update(`${name}\0`).update(await readFile(join(folder, name))).update('\0');
    expect(await readFile(join(folder, BUNDLE_HASH_FILE), 'utf8')).toBe(`${hash.digest('hex')}\n`);
  });

  it("renders a post on the bundle's render worker as on the main thread", async () => {
    const root = await copyFixture('cache-site');
    const config = await loadConfig(root);
    const path = join(root, 'posts', (await readdir(join(root, 'posts'))).filter((file) => file.endsWith('.md')).sort()[0]!);
    const pool = new Tinypool({ filename: join(REPO, 'lib', 'bundle', 'render-worker.js'), minThreads: 1, maxThreads: 1 });
    try {
      const task: RenderTask = { root, config, now: NOW, path, source: await readFile(path, 'utf8'), includeDrafts: false, includeFuture: false };
      const answer = (await pool.run(task)) as RenderAnswer;
      expect(answer.failure).toBeUndefined();
      const files = new Map(answer.rendered?.files ?? []);
      const memory = await build({ root, write: false, now: NOW, threads: 1 });
      const page = `blog/${answer.post?.slug}/index.html`;
      expect(files.get(page)).toBeDefined();
      expect(String(files.get(page))).toBe(String(memory.files.get(page)));
    } finally {
      await pool.destroy();
    }
  });

  it('renders on a pool of worker threads as on one thread (--threads), and says what --threads takes', async () => {
    const root = await copyFixture('cache-site');
    const pooled = await sahifa(['build', '--threads', '2', '--no-cache', '--out', 'pooled'], { cwd: root });
    expect(pooled).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Built 4 posts/) });
    const single = await sahifa(['build', '--threads', '0', '--no-cache', '--out', 'single'], { cwd: root });
    expect(single.status).toBe(0);
    // The same warnings (the fixture has some), of the same files.
    const lines = (text: string) => text.split('\n').sort();
    expect(lines(pooled.stderr)).toEqual(lines(single.stderr.replaceAll('single/', 'pooled/')));
    expect(await snapshot(join(root, 'pooled'))).toEqual(await snapshot(join(root, 'single')));
    const wrong = await sahifa(['build', '--threads', 'many'], { cwd: root });
    expect(wrong).toMatchObject({ status: 1, stdout: '' });
    expect(wrong.stderr).toMatch(/^error: --threads expects .*worker threads.*, got "many"\n$/);
  });
});
