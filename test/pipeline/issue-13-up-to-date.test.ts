import { appendFile, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStamp, startStamp, unchangedSince, type StampOptions } from '../../src/cache/build-stamp.js';
import { build, buildSummary } from '../../src/pipeline/build.js';
import { sahifa } from '../helpers/cli.js';
import { GOOD_POST, makeSite } from '../helpers/site.js';

const NOW = new Date('2026-06-01T12:00:00Z');

/** Sets every file of the site to a time well in the past, as files are when a writer builds again later (a file written just before a build is not trusted by its time). */
async function backdate(root: string): Promise<void> {
  const past = new Date(Date.now() - 60_000);
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) await utimes(join(entry.parentPath, entry.name), past, past);
  }
}

/** A site of two posts (one of them dated after {@link NOW}), built once with its stamp written. */
async function builtSite(): Promise<{ root: string; options: StampOptions }> {
  const root = await makeSite({
    'posts/a.md': GOOD_POST,
    'posts/b.md': GOOD_POST.replace('date: 2025-01-01', 'date: 2026-07-01\nslug: later'),
  });
  await backdate(root);
  const result = await build({ root, now: NOW });
  expect(result.future.map((post) => post.slug)).toEqual(['later']);
  return { root, options: { root, outDir: join(root, 'dist'), drafts: false, future: false, strict: false } };
}

describe('issue 13: a build with nothing changed keeps the output (build stamp)', () => {
  it('reports the last build again while nothing it read or wrote changed', async () => {
    const { root, options } = await builtSite();
    const summary = await unchangedSince(options, NOW);
    expect(summary).toMatchObject({ posts: 1, pages: 5, emails: 0, future: [{ path: join(root, 'posts', 'b.md'), date: '2026-07-01' }] });
    // What the stamp keeps is what a build reports.
    expect(summary).toEqual(buildSummary(await build({ root, now: NOW, write: false }), NOW));
  });

  it('builds again after any change to the inputs, even one that keeps the size and the time', async () => {
    const changes: Record<string, (root: string) => Promise<unknown>> = {
      'an edited post': (root) => appendFile(join(root, 'posts', 'a.md'), '\nمزيد.\n'),
      'a new post': (root) => writeFile(join(root, 'posts', 'c.md'), GOOD_POST.replace('date:', 'slug: c\ndate:')),
      'a deleted post': (root) => rm(join(root, 'posts', 'b.md')),
      'a new template': async (root) => {
        await mkdir(join(root, 'templates', 'page'), { recursive: true });
        await writeFile(join(root, 'templates', 'page', 'x.hbs'), 'x');
      },
      'the configuration': (root) => appendFile(join(root, 'sahifa.config.json'), '\n'),
      'same bytes count, same time': async (root) => {
        const path = join(root, 'posts', 'a.md');
        const before = await stat(path);
        await writeFile(path, (await readFile(path, 'utf8')).replace('الأولى', 'الأخرى'));
        expect((await stat(path)).size).toBe(before.size);
        await utimes(path, before.atime, before.mtime);
      },
    };
    for (const [name, change] of Object.entries(changes)) {
      const { root, options } = await builtSite();
      await change(root);
      await backdate(root);
      expect(await unchangedSince(options, NOW), name).toBeUndefined();
    }
  });

  it('builds again when the output was touched, the flags differ or the clock reached a post', async () => {
    const { root, options } = await builtSite();
    expect(await unchangedSince(options, NOW)).toBeDefined();
    expect(await unchangedSince({ ...options, drafts: true }, NOW)).toBeUndefined();
    expect(await unchangedSince({ ...options, strict: true }, NOW)).toBeUndefined();
    expect(await unchangedSince(options, new Date('2026-07-01T00:00:00Z'))).toBeUndefined();
    // A clock before the build's own (a build given a later `now`) may publish fewer posts.
    expect(await unchangedSince(options, new Date(NOW.getTime() - 1))).toBeUndefined();
    await writeFile(join(root, 'dist', 'blog', 'a', 'index.html'), 'changed by hand');
    expect(await unchangedSince(options, NOW)).toBeUndefined();
  });

  it('builds again when an output file is deleted or the stamp is damaged', async () => {
    const first = await builtSite();
    await rm(join(first.root, 'dist', 'blog', 'feed.xml'));
    expect(await unchangedSince(first.options, NOW)).toBeUndefined();
    const second = await builtSite();
    const stamps = join(second.root, '.sahifa', 'cache', 'stamps');
    const [name] = await readdir(stamps);
    const stamp = JSON.parse(await readFile(join(stamps, name!), 'utf8')) as { summary: { warnings: unknown[] } };
    expect(await unchangedSince(second.options, NOW)).toBeDefined();
    for (const damaged of ['{"version":1,"validUntil":1e20,"summary":{}}', JSON.stringify({ ...stamp, summary: { ...stamp.summary, warnings: [null] } }), JSON.stringify(stamp).slice(0, 100)]) {
      await writeFile(join(stamps, name!), damaged);
      expect(await unchangedSince(second.options, NOW)).toBeUndefined();
    }
  });

  it('vouches for the posts whose file is as the last build read it, which the next build takes from the cache unread', async () => {
    const { root, options } = await builtSite();
    await appendFile(join(root, 'posts', 'b.md'), '\nمزيد.\n');
    const past = new Date(Date.now() - 60_000);
    await utimes(join(root, 'posts', 'b.md'), past, past);
    const check = await checkStamp(options, NOW);
    expect(check.unchanged).toBeUndefined();
    // a.md is vouched for by its lstat and the hash of its text; the edited b.md is not.
    expect([...(check.start?.trusted?.keys() ?? [])]).toEqual([join(root, 'posts', 'a.md')]);
    const page = await readFile(join(root, 'dist', 'blog', 'a', 'index.html'), 'utf8');
    // Changed after the check: a build that takes the check's listing does not read a.md at all.
    await writeFile(join(root, 'posts', 'a.md'), GOOD_POST.replace('الأولى', 'الأخرى'));
    const result = await build({ root, now: NOW, stampStart: check.start });
    expect(result.cache).toEqual({ cached: 1, rendered: 0 });
    expect(await readFile(join(root, 'dist', 'blog', 'a', 'index.html'), 'utf8')).toBe(page);
    // The next check sees the new file, and the build after it reads it.
    await backdate(root);
    const next = await checkStamp(options, NOW);
    expect(next.start?.trusted?.has(join(root, 'posts', 'a.md'))).toBe(false);
    expect((await build({ root, now: NOW, stampStart: next.start })).cache).toEqual({ cached: 0, rendered: 1 });
    expect(await readFile(join(root, 'dist', 'blog', 'a', 'index.html'), 'utf8')).toContain('الأخرى');
    // An output file touched by hand means a build, but every post file is still vouched for.
    await writeFile(join(root, 'dist', 'blog', 'a', 'index.html'), 'changed by hand');
    const touched = await checkStamp(options, NOW);
    expect(touched.unchanged).toBeUndefined();
    expect([...(touched.start?.trusted?.keys() ?? [])].sort()).toEqual([join(root, 'posts', 'a.md'), join(root, 'posts', 'b.md')]);
  });

  it('writes no stamp when a file is newer than its time can tell', async () => {
    const root = await makeSite({ 'posts/a.md': GOOD_POST });
    expect(await startStamp({ root, outDir: join(root, 'dist'), drafts: false, future: false, strict: false })).toBeUndefined();
  });

  it('sahifa build says it is up to date, with the same warnings, and a change builds again', async () => {
    const root = await makeSite({ 'posts/warn.md': `${GOOD_POST}\n<script>alert(1)</script>\n` });
    await backdate(root);
    const first = await sahifa(['build'], { cwd: root });
    expect(first.stdout).toMatch(/^Built 1 post: 5 pages, 0 emails in /);
    const warning = 'posts/warn.md:8:1: warning raw `<script>` removed: posts may not carry scripts, styles, frames or forms [unsafe-html]\n';
    expect(first.stderr).toBe(warning);
    const again = await sahifa(['build'], { cwd: root });
    expect(again).toMatchObject({ status: 0, stderr: warning });
    expect(again.stdout).toMatch(/^Up to date: 1 post: 5 pages, 0 emails; nothing changed since the last build \(checked in \d+\.\d\d s\) → dist\n$/);
    const uncached = await sahifa(['build', '--no-cache'], { cwd: root });
    expect(uncached.stdout).toMatch(/^Built 1 post/);
    await appendFile(join(root, 'posts', 'warn.md'), '\nمزيد.\n');
    await backdate(root);
    expect((await sahifa(['build'], { cwd: root })).stdout).toMatch(/^Built 1 post/);
    // That build took the check's listing of the site as its own: its stamp holds.
    expect((await sahifa(['build'], { cwd: root })).stdout).toMatch(/^Up to date: 1 post/);
  });
});
