import Database from 'better-sqlite3';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheRoot } from '../../src/cache/cache-root.js';
import { build, type BuildResult } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { sahifa } from '../helpers/cli.js';
import { copyFixture, REPO, snapshot } from '../helpers/site.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const PAST = new Date('2020-01-01T00:00:00Z');

/** Builds the site into `<root>/<out>` with a fixed clock. */
function buildInto(root: string, out = 'dist', cache = true): Promise<BuildResult> {
  return build({ root, out: join(root, out), now: NOW, cache });
}

/** Modification times of every file under a folder, by relative path. */
async function mtimes(folder: string): Promise<Record<string, number>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const times: Record<string, number> = {};
  for (const entry of entries.filter((item) => item.isFile())) {
    const path = join(entry.parentPath, entry.name);
    times[relative(folder, path)] = (await stat(path)).mtimeMs;
  }
  return times;
}

/** Sets every file under a folder to an old time, so a rewrite cannot hide inside the clock's resolution. */
async function age(folder: string): Promise<void> {
  for (const path of Object.keys(await mtimes(folder))) await utimes(join(folder, path), PAST, PAST);
}

/** The output of a clean, uncached build of the same site, for comparison. */
async function cleanBuild(root: string): Promise<Record<string, string>> {
  await buildInto(root, 'clean', false);
  return snapshot(join(root, 'clean'));
}

const slugOf = (result: BuildResult, title: string) => result.posts.find((post) => post.meta.title === title)?.slug ?? '';

describe('issue 13: the content cache', () => {
  it('gives byte-identical output cached, uncached, and cached into a fresh folder', async () => {
    const root = await copyFixture('cache-site');
    const cold = await buildInto(root);
    expect(cold.cache).toEqual({ cached: 0, rendered: 4 });
    const again = await buildInto(root);
    expect(again.cache).toEqual({ cached: 4, rendered: 0 });
    const cached = await snapshot(join(root, 'dist'));
    expect(Object.keys(cached).length).toBeGreaterThan(20);
    expect(await cleanBuild(root)).toEqual(cached);
    // Entries known, but no previous output to take the files from: rendered again, same bytes.
    const fresh = await buildInto(root, 'fresh');
    expect(fresh.cache.rendered).toBe(4);
    expect(await snapshot(join(root, 'fresh'))).toEqual(cached);
  });

  it('keeps the modification time of every file whose bytes did not change', async () => {
    const root = await copyFixture('cache-site');
    const dist = join(root, 'dist');
    const first = await buildInto(root);
    await age(dist);
    await buildInto(root);
    const unchanged = await mtimes(dist);
    for (const [path, time] of Object.entries(unchanged)) if (path !== '.sahifa-output') expect([path, time]).toEqual([path, PAST.getTime()]);

    const delta = join(root, 'posts', '2025-01-04-delta.md');
    await writeFile(delta, (await readFile(delta, 'utf8')).replace('نص دلتا القصير.', 'نص دلتا بعد التعديل.'));
    const edited = await buildInto(root);
    expect(edited.cache).toEqual({ cached: 3, rendered: 1 });
    const after = await mtimes(dist);
    expect(after['blog/delta/index.html']).not.toBe(PAST.getTime());
    const alpha = slugOf(first, 'ألفا');
    const images = Object.keys(after).filter((path) => path.startsWith('blog/media/images/istanbul'));
    expect(images.length).toBeGreaterThan(1);
    for (const path of [`blog/${alpha}/index.html`, `email/${alpha}.html`, 'blog/beta/index.html', 'blog/gamma/index.html', ...images, 'blog/tags/سياسة/index.html', 'blog/tags/index.html']) {
      expect([path, after[path]]).toEqual([path, PAST.getTime()]);
    }
  });

  it('editing a post rebuilds that post, the lists, its tags and the feeds', async () => {
    const root = await copyFixture('cache-site');
    await buildInto(root);
    const delta = join(root, 'posts', '2025-01-04-delta.md');
    await writeFile(delta, (await readFile(delta, 'utf8')).replace('title: "دلتا"', 'title: "دلتا المعدلة"'));
    const result = await buildInto(root);
    expect(result.cache).toEqual({ cached: 3, rendered: 1 });
    const read = (path: string) => readFile(join(root, 'dist', path), 'utf8');
    for (const path of ['blog/delta/index.html', 'blog/index.html', 'blog/tags/اقتصاد/index.html', 'blog/feed.xml', 'blog/rss.xml', 'blog/feed.json']) {
      expect([path, await read(path)]).toEqual([path, expect.stringContaining('دلتا المعدلة')]);
    }
    expect(await read('blog/tags/سياسة/index.html')).not.toContain('دلتا');
    expect(await snapshot(join(root, 'dist'))).toEqual(await cleanBuild(root));
  });

  it('editing a template rebuilds every page that uses it', async () => {
    const root = await copyFixture('cache-site');
    await buildInto(root);
    const footer = await readFile(join(REPO, 'templates', 'page', 'partials', 'footer.hbs'), 'utf8');
    await mkdir(join(root, 'templates', 'page', 'partials'), { recursive: true });
    await writeFile(join(root, 'templates', 'page', 'partials', 'footer.hbs'), footer.replace('</footer>', '<p class="edited">edited footer</p>\n</footer>'));
    const result = await buildInto(root);
    expect(result.cache).toEqual({ cached: 0, rendered: 4 });
    const pages = [...result.files.keys()].filter((path) => path.startsWith('blog/') && path.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(8);
    for (const path of pages) expect([path, String(result.files.get(path))]).toEqual([path, expect.stringContaining('edited footer')]);
    expect(await snapshot(join(root, 'dist'))).toEqual(await cleanBuild(root));
  });

  it('deleting a post removes its page, email and feed entry', async () => {
    const root = await copyFixture('cache-site');
    const first = await buildInto(root);
    const alpha = slugOf(first, 'ألفا');
    const url = first.posts.find((post) => post.slug === alpha)?.url ?? '';
    expect(await readFile(join(root, 'dist', 'blog', 'feed.xml'), 'utf8')).toContain(url);
    await rm(join(root, 'posts', '2025-01-01-alpha.md'));
    const result = await buildInto(root);
    expect(result.cache).toEqual({ cached: 3, rendered: 0 });
    const paths = await snapshot(join(root, 'dist'));
    expect(Object.keys(paths).filter((path) => path.includes(alpha))).toEqual([]);
    for (const feed of ['feed.xml', 'rss.xml', 'feed.json', 'sitemap.xml']) expect(await readFile(join(root, 'dist', 'blog', feed), 'utf8')).not.toContain(url);
    expect(paths).toEqual(await cleanBuild(root));
  });

  it('renaming a tag moves it', async () => {
    const root = await copyFixture('cache-site');
    await buildInto(root);
    const gamma = join(root, 'posts', '2025-01-03-gamma.md');
    await writeFile(gamma, (await readFile(gamma, 'utf8')).replace('tags: [economy]', 'tags: [finance]'));
    const result = await buildInto(root);
    expect(result.cache.rendered).toBe(1);
    expect(result.files.has('blog/tags/economy/index.html')).toBe(false);
    expect(String(result.files.get('blog/tags/finance/index.html'))).toContain('Gamma');
    expect(String(result.files.get('blog/gamma/index.html'))).toContain('tags/finance/');
    expect(await snapshot(join(root, 'dist'))).toEqual(await cleanBuild(root));
  });

  it('survives a corrupt cache file, a damaged entry and a foreign one', async () => {
    const root = await copyFixture('cache-site');
    await buildInto(root);
    const database = join(cacheRoot(root), 'content', 'posts.sqlite');
    const db = new Database(database);
    const rows = db.prepare('SELECT key FROM posts ORDER BY key').all() as Array<{ key: string }>;
    expect(rows).toHaveLength(4);
    db.prepare('UPDATE posts SET entry = ? WHERE key = ?').run(Buffer.from([0xff, 0x0d, 0x00, 0x01]), rows[0]?.key);
    // Another post's entry under this key: its own key field does not match, so it is not trusted.
    db.prepare('UPDATE posts SET entry = (SELECT entry FROM posts WHERE key = @other) WHERE key = @key').run({ key: rows[1]?.key, other: rows[2]?.key });
    // One character of an entry changed, its hash left: its bytes are not the ones written, so it is not trusted.
    db.prepare(`UPDATE posts SET entry = replace(entry, '"words":', '"words":1') WHERE key = ?`).run(rows[3]?.key);
    db.close();
    const damaged = await buildInto(root);
    expect(damaged.cache).toEqual({ cached: 1, rendered: 3 });

    for (const name of ['posts.sqlite', 'posts.sqlite-wal', 'posts.sqlite-shm']) await rm(join(cacheRoot(root), 'content', name), { force: true });
    await writeFile(database, 'this is not a database, it only has its name'.repeat(200));
    const corrupt = await buildInto(root);
    expect(corrupt.cache).toEqual({ cached: 0, rendered: 4 });
    expect((await buildInto(root)).cache).toEqual({ cached: 4, rendered: 0 });
    expect(await snapshot(join(root, 'dist'))).toEqual(await cleanBuild(root));
  });

  it('a failed incremental build leaves the previous output and the cache coherent', async () => {
    const root = await copyFixture('cache-site');
    const dist = join(root, 'dist');
    await buildInto(root);
    await age(dist);
    const before = { files: await snapshot(dist), times: await mtimes(dist) };
    const beta = join(root, 'posts', '2025-01-02-beta.md');
    const alpha = join(root, 'posts', '2025-01-01-alpha.md');
    const betaText = await readFile(beta, 'utf8');
    await writeFile(alpha, (await readFile(alpha, 'utf8')).replace('خريطة المحادثات:', 'خريطة المحادثات الجديدة:'));
    await writeFile(beta, betaText.replace('date: 2025-01-02', 'date: not a date'));
    await expect(buildInto(root)).rejects.toBeInstanceOf(BuildFailure);
    expect(await snapshot(dist)).toEqual(before.files);
    expect(await mtimes(dist)).toEqual(before.times);
    expect((await readdir(root)).filter((name) => name.startsWith('.dist'))).toEqual([]);

    await writeFile(beta, betaText);
    const fixed = await buildInto(root);
    expect(fixed.cache).toEqual({ cached: 3, rendered: 1 });
    expect(await snapshot(dist)).toEqual(await cleanBuild(root));
  });

  it("prints a cached post's warnings as on the build that rendered it", async () => {
    const root = await copyFixture('cache-site');
    const warned = (result: BuildResult) => result.warnings.filter((message) => message.ruleId === 'image-alt').map((message) => `${relative(root, message.file ?? '')}:${message.line}:${message.column}`);
    const cold = await buildInto(root);
    expect(warned(cold)).toEqual(['posts/2025-01-02-beta.md:8:19']);
    const cached = await buildInto(root);
    expect(cached.cache.cached).toBe(4);
    expect(warned(cached)).toEqual(warned(cold));
    // The compiled CLI is another sahifa than the sources under test (its code is in the fingerprint): its first run renders.
    for (const unchanged of [false, true]) {
      // A new file that is no post: the site changed (no "up to date"), the posts did not.
      await writeFile(join(root, `notes-${String(unchanged)}.txt`), 'x');
      const run = await sahifa(['build', '--root', root, '--out', join(root, 'dist')]);
      expect(run.status).toBe(0);
      expect(run.stderr).toContain('posts/2025-01-02-beta.md:8:19: warning image without alt text');
      expect(run.stdout.includes('4 unchanged')).toBe(unchanged);
    }
  });
});

describe('issue 13: rendering on worker threads', () => {
  it('gives the same bytes as a single-threaded build, cold and after an edit', async () => {
    const root = await copyFixture('cache-site');
    const parallel = await build({ root, out: join(root, 'parallel'), now: NOW, cache: false, threads: 2 });
    const single = await build({ root, out: join(root, 'single'), now: NOW, cache: false, threads: 1 });
    expect(await snapshot(join(root, 'parallel'))).toEqual(await snapshot(join(root, 'single')));
    const said = (result: BuildResult) => result.warnings.map((message) => `${relative(result.outDir, message.file ?? '')}:${message.line}:${message.column} ${message.ruleId}`).sort();
    expect(said(parallel)).toEqual(said(single));

    // Entries stored by workers serve a cached build; an edit rendered on a worker matches a clean build.
    await build({ root, now: NOW, threads: 2 });
    expect((await build({ root, now: NOW, threads: 2 })).cache).toEqual({ cached: 4, rendered: 0 });
    const beta = join(root, 'posts', '2025-01-02-beta.md');
    await writeFile(beta, (await readFile(beta, 'utf8')).replace('العودة إلى', 'ارجع إلى'));
    expect((await build({ root, now: NOW, threads: 2 })).cache).toEqual({ cached: 3, rendered: 1 });
    expect(await snapshot(join(root, 'dist'))).toEqual(await cleanBuild(root));
  });

  it('reports a broken post rendered on a worker at its line and column', async () => {
    const root = await copyFixture('cache-site');
    const beta = join(root, 'posts', '2025-01-02-beta.md');
    await writeFile(beta, (await readFile(beta, 'utf8')).replace('date: 2025-01-02', 'date: [broken'));
    const error = await build({ root, now: NOW, threads: 2 }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BuildFailure);
    const fatal = (error as BuildFailure).messages.filter((message) => message.fatal);
    expect(fatal.map((message) => relative(root, message.file ?? ''))).toEqual(['posts/2025-01-02-beta.md']);
    expect(fatal[0]?.line).toBeGreaterThan(1);
  });

  it('reports a template that fails while a worker renders with its file, as on one thread', async () => {
    const root = await copyFixture('cache-site');
    await mkdir(join(root, 'templates', 'page', 'partials'), { recursive: true });
    await writeFile(join(root, 'templates', 'page', 'partials', 'footer.hbs'), '<footer>{{#with}}x{{/with}}</footer>\n');
    const failures = await Promise.all([1, 2].map((threads) => build({ root, now: NOW, threads, write: threads === 1 ? false : undefined }).catch((thrown: unknown) => thrown)));
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(BuildFailure);
      expect((failure as BuildFailure).messages.map((message) => [relative(root, message.file ?? ''), message.ruleId])).toEqual([['templates/page/partials/footer.hbs', 'template-error']]);
    }
  });
});
