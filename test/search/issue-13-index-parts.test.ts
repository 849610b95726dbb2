import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { indexBlog } from '../../src/search/search-step.js';
import { RecordCache } from '../../src/search/record-cache.js';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { KEEP_UNUSED_INDEX_MS, searchCacheDir } from '../../src/search/index-cache.js';
import { unchangedBuild } from '../../src/pipeline/unchanged-build.js';
import { dealParts, MAX_PARTS, partCount, partOf, partPages, PART_PAGES } from '../../src/search/index-parts.js';
import { copyFixture } from '../helpers/site.js';

/** The index's files in the output folder, by path under dist/blog/pagefind/, with their bytes' hash as the manifest has it. */
async function indexFiles(root: string): Promise<Map<string, string>> {
  const manifest = JSON.parse(await readFile(join(root, 'dist', '.sahifa-output'), 'utf8')) as { sha256: Record<string, string> };
  return new Map(Object.entries(manifest.sha256).filter(([path]) => path.startsWith('blog/pagefind/')).map(([path, sha]) => [path.slice('blog/pagefind/'.length), sha]));
}

/** The part folder of an index file ('' for pagefind/ itself). */
const folderOf = (path: string) => /^(\d+\/)?/.exec(path)![0];

describe('issue 13: the search index is cut into parts, and an edit makes only its page\'s part again', () => {
  it('deals pages into a power-of-two number of parts, by their path alone, never more than the cap', () => {
    expect([0, 1, 256].map((pages) => partCount(pages, 256))).toEqual([1, 1, 1]);
    expect([257, 512, 513, 4000, 1_000_000].map((pages) => partCount(pages, 256))).toEqual([2, 2, 4, 16, MAX_PARTS]);
    const paths = Array.from({ length: 4000 }, (_, n) => `post-${n}/index.html`);
    const sizes = new Array<number>(16).fill(0);
    for (const path of paths) sizes[partOf(path, 16)]! += 1;
    // A hash spreads them: no part is empty or more than twice its share.
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThan(2 * (4000 / 16));
    expect(paths.map((path) => partOf(path, 16))).toEqual(paths.map((path) => partOf(path, 16)));
    expect(partOf('anything', 1)).toBe(0);
    // Dealt: every page once, in its part; empty parts left out, the first left in pagefind/ itself; no page, one empty part.
    const three = dealParts(['a/index.html', 'b/index.html', 'c/index.html'], 1);
    expect(three.flatMap((part) => part.pages).sort()).toEqual(['a/index.html', 'b/index.html', 'c/index.html']);
    expect(three.every((part) => part.pages.length > 0 && part.of === 4 && part.pages.every((path) => partOf(path, 4) === part.number))).toBe(true);
    // Folders by part number (a part keeps its folder when another fills or empties), the first written in pagefind/ itself.
    expect(three.map((part) => part.folder)).toEqual(three.map((part, place) => (place === 0 ? '' : `${part.number}/`)));
    expect(dealParts([], 256)).toEqual([{ number: 0, of: 1, pages: [], folder: '' }]);
    expect([partPages({}), partPages({ SAHIFA_SEARCH_PART_PAGES: '40' }), partPages({ SAHIFA_SEARCH_PART_PAGES: '0' }), partPages({ SAHIFA_SEARCH_PART_PAGES: '2.5' }), partPages({ SAHIFA_SEARCH_PART_PAGES: '-- --rm' })]).toEqual([PART_PAGES, 40, PART_PAGES, PART_PAGES, PART_PAGES]);
  });

  it('tells from the record cache whether a page is indexed without reading its record (a damaged one counts as indexed, to be read again)', async () => {
    const root = await copyFixture('issue-15-search');
    const records = await RecordCache.open(root);
    const [indexed, plain, damaged] = ['a', 'b', 'c'].map((text) => createHash('sha256').update(text).digest('hex'));
    records.put(indexed!, { lang: 'ar', text: 'كلمات', meta: { title: 'عنوان' }, filters: {} });
    records.put(plain!, null);
    records.put(damaged!, { lang: 'ar', text: '', meta: {}, filters: {} });
    records.close();
    const db = new Database(join(root, '.sahifa', 'cache', 'search-records', 'records.sqlite'));
    db.prepare("UPDATE records SET record = 'not json' WHERE record LIKE '%\"text\":\"\"%'").run();
    db.close();
    const again = await RecordCache.open(root);
    expect([indexed, plain, damaged, createHash('sha256').update('d').digest('hex')].map((sha) => again.indexed(sha!))).toEqual([true, false, true, undefined]);
    expect(again.get(damaged!)).toBeUndefined();
    again.close();
  });

  describe('a site built with one page a part', () => {
    beforeEach(() => {
      process.env.SAHIFA_SEARCH_PART_PAGES = '1';
    });
    afterEach(() => {
      delete process.env.SAHIFA_SEARCH_PART_PAGES;
    });

    it('writes each part as a Pagefind bundle of its own (pagefind/, pagefind/1/, …), lists them in parts.json, and holds every page once', async () => {
      const root = await copyFixture('issue-15-search');
      const result = await build({ root });
      const parts = result.search!.parts;
      expect(parts).toBeGreaterThan(2);
      expect(result.search).toMatchObject({ pages: 8, built: parts, reused: false });
      const files = await indexFiles(root);
      const listed = JSON.parse(await readFile(join(root, 'dist', 'blog', 'pagefind', 'parts.json'), 'utf8')) as string[];
      expect(listed).toHaveLength(parts - 1);
      expect(listed.every((folder) => /^[1-9]\d*\/$/.test(folder))).toBe(true);
      let pages = 0;
      for (const folder of ['', ...listed]) {
        expect(files.has(`${folder}pagefind.js`), folder).toBe(true);
        const entry = JSON.parse(await readFile(join(root, 'dist', 'blog', 'pagefind', folder, 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
        expect(Object.keys(entry.languages)).toEqual(['ar']);
        expect(entry.languages.ar!.page_count).toBeGreaterThan(0);
        pages += entry.languages.ar!.page_count;
      }
      expect(pages).toBe(8);
    });

    it('makes no part again when nothing changed, and only the edited page\'s part when one post changes; the other parts\' files keep their bytes and times', async () => {
      const root = await copyFixture('issue-15-search');
      const first = await build({ root });
      const before = await indexFiles(root);
      // The pages per part are among what the "nothing changed" check compares: another value builds again. (Files
      // written within the last moments are never vouched for: the site's are made older, then built again.)
      const past = new Date(Date.now() - 60_000);
      for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) if (entry.isFile()) await utimes(join(entry.parentPath, entry.name), past, past);
      await build({ root });
      expect((await unchangedBuild({ root })).unchanged).toBeDefined();
      process.env.SAHIFA_SEARCH_PART_PAGES = '2';
      expect((await unchangedBuild({ root })).unchanged).toBeUndefined();
      process.env.SAHIFA_SEARCH_PART_PAGES = '1';
      const again = await build({ root });
      expect(again.search).toMatchObject({ built: 0, reused: true, parts: first.search!.parts });
      expect(await indexFiles(root)).toEqual(before);
      const times = new Map(await Promise.all([...before.keys()].map(async (path) => [path, (await stat(join(root, 'dist', 'blog', 'pagefind', path))).mtimeMs] as const)));

      const post = join(root, 'posts', '2025-01-01-school.md');
      await writeFile(post, (await readFile(post, 'utf8')).replace('الكبيرة', 'الجديدة'));
      const edited = await build({ root });
      expect(edited.search).toMatchObject({ built: 1, reused: false, parts: first.search!.parts });
      const after = await indexFiles(root);
      const changed = new Set([...after].filter(([path, sha]) => before.get(path) !== sha).map(([path]) => folderOf(path)));
      // One part's files changed (its entry, index and the page's fragment); parts.json and every other part are as they were, times too.
      expect(changed.size).toBe(1);
      const [part] = changed;
      for (const [path, sha] of after) {
        if (folderOf(path) === part) continue;
        expect(before.get(path), path).toBe(sha);
        expect((await stat(join(root, 'dist', 'blog', 'pagefind', path))).mtimeMs, path).toBe(times.get(path));
      }
      // The cache keeps the parts of the last index, the replaced part while a build used it within the hour, and the table of pages.
      const cached = async () => (await readdir(searchCacheDir(root), { withFileTypes: true })).filter((entry) => !entry.name.startsWith('.'));
      expect((await cached()).filter((entry) => entry.isDirectory())).toHaveLength(first.search!.parts + 1);
      expect((await cached()).filter((entry) => entry.isFile()).map((entry) => entry.name)).toEqual(['pages.json']);
      // An hour on, the next build (a change the index does not see) drops the replaced part and keeps those it used.
      const hoursAgo = new Date(Date.now() - 2 * KEEP_UNUSED_INDEX_MS);
      for (const entry of await cached()) if (entry.isDirectory()) await utimes(join(searchCacheDir(root), entry.name), hoursAgo, hoursAgo);
      const config = JSON.parse(await readFile(join(root, 'sahifa.config.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, description: 'وصف جديد للموقع' }));
      expect((await build({ root })).search).toMatchObject({ built: 0, reused: true });
      expect((await cached()).filter((entry) => entry.isDirectory())).toHaveLength(first.search!.parts);
    });

    it('survives a damaged table of pages and a part whose cached files were altered, building the same index', async () => {
      const root = await copyFixture('issue-15-search');
      const first = await build({ root });
      const before = await indexFiles(root);
      await writeFile(join(searchCacheDir(root), 'pages.json'), '{"key": 1, "pages": [');
      expect((await build({ root })).search).toMatchObject({ built: 0, reused: true });
      expect(await indexFiles(root)).toEqual(before);
      // A table that lies about a page it lists with other bytes is not believed: the page's record is looked up.
      const table = JSON.parse(await readFile(join(searchCacheDir(root), 'pages.json'), 'utf8')) as { key: string; value: Record<string, [string, boolean]> };
      for (const path of Object.keys(table.value)) table.value[path] = ['0'.repeat(64), false];
      await writeFile(join(searchCacheDir(root), 'pages.json'), JSON.stringify(table));
      expect((await build({ root })).search).toMatchObject({ pages: 8, built: 0 });
      // A cached part whose list lost an entry (the file would be left out of the output) is made again.
      const [listed] = (await readdir(searchCacheDir(root), { withFileTypes: true })).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
      const list = JSON.parse(await readFile(join(searchCacheDir(root), listed!, 'files.json'), 'utf8')) as Record<string, unknown>;
      delete list[Object.keys(list).find((path) => path.startsWith('fragment/'))!];
      await writeFile(join(searchCacheDir(root), listed!, 'files.json'), JSON.stringify(list));
      expect((await build({ root })).search).toMatchObject({ built: 1, parts: first.search!.parts });
      expect(await indexFiles(root)).toEqual(before);
      // A cached part with a file of another size is made again.
      const [key] = (await readdir(searchCacheDir(root), { withFileTypes: true })).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
      await writeFile(join(searchCacheDir(root), key!, 'bundle', 'pagefind-entry.json'), '{}');
      const rebuilt = await build({ root });
      expect(rebuilt.search).toMatchObject({ built: 1, parts: first.search!.parts });
      const entries = [...(await indexFiles(root)).keys()].filter((path) => path.endsWith('pagefind-entry.json')).length;
      expect(entries).toBe(first.search!.parts);
    });

    it('keeps none of the new parts when the build stops reading the index (it failed), and sweeps the staging folders of builds that died', async () => {
      const root = await copyFixture('issue-15-search');
      await build({ root });
      const blog = join(root, 'dist', 'blog');
      const paths = (await readdir(blog, { recursive: true })).filter((path) => path.endsWith('.html'));
      const pages = { paths, read: (path: string) => readFile(join(blog, path), 'utf8'), sha256: () => undefined };
      const cache = searchCacheDir(root);
      const before = (await readdir(cache)).sort();
      const config = await loadConfig(root);
      // The parts are keyed by the pages' records here (no hashes given): new keys, so every part is made again.
      const index = await indexBlog(root, config, pages, true);
      expect(index.built).toBe(index.parts);
      expect((await readdir(cache)).filter((name) => name.startsWith('.'))).toHaveLength(index.parts);
      const reading = index.files[Symbol.asyncIterator]();
      await reading.next();
      await reading.next();
      await reading.return?.(undefined);
      expect((await readdir(cache)).sort()).toEqual(before);

      const ended = spawnSync(process.execPath, ['-e', '']);
      const key = createHash('sha256').update('a part').digest('hex');
      const dead = `.${key}-${ended.pid}-0badc0de`;
      const live = `.${key}-${process.ppid}-0badc0de`;
      for (const name of [dead, live]) await mkdir(join(cache, name, 'bundle'), { recursive: true });
      await writeFile(join(root, 'posts', '2025-01-01-school.md'), `${await readFile(join(root, 'posts', '2025-01-01-school.md'), 'utf8')}\nسطر جديد.\n`);
      expect((await build({ root })).search?.built).toBe(1);
      const after = await readdir(cache);
      expect(after).not.toContain(dead);
      expect(after).toContain(live);
    });
  });
});
