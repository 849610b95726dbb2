import { copyFile, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { lastGoodBuild } from '../../src/publish/check-output.js';
import { KEEP_UNUSED_INDEX_MS, searchCacheDir } from '../../src/search/index-cache.js';
import { pageRecord } from '../../src/search/page-record.js';
import { copyFixture, FIXTURES } from '../helpers/site.js';

const text = (content: string | Uint8Array | undefined) => (typeof content === 'string' ? content : new TextDecoder().decode(content));

/** The pagefind/ files of a result, by path. */
function indexFiles(files: ReadonlyMap<string, string | Uint8Array>): Map<string, string | Uint8Array> {
  return new Map([...files].filter(([path]) => path.startsWith('blog/pagefind/')));
}

/**
 * What a whole index holds: its entry's page count and Pagefind's script.
 * (Pagefind writes filter values in no fixed order, so two runs over the
 * same pages may differ in the filter file's bytes and name.)
 */
function whole(files: ReadonlyMap<string, string | Uint8Array>) {
  const entry = JSON.parse(text(files.get('blog/pagefind/pagefind-entry.json'))) as { languages: Record<string, { page_count: number }> };
  return { pages: entry.languages.ar?.page_count, script: text(files.get('blog/pagefind/pagefind.js')) };
}

describe('issue 15: the search index is part of the build', () => {
  it('writes the search page and the Pagefind index under blog/, in the manifest that publish copies, and links the page from every header', async () => {
    const root = await copyFixture('issue-15-search');
    const result = await build({ root });
    expect(result.search).toMatchObject({ pages: 8, reused: false });
    const entry = JSON.parse(text(result.files.get('blog/pagefind/pagefind-entry.json'))) as { languages: Record<string, { page_count: number }> };
    // One index, in the site's language, holding the Arabic, Persian and English posts and the page of pages/.
    expect(Object.fromEntries(Object.entries(entry.languages).map(([lang, { page_count }]) => [lang, page_count]))).toEqual({ ar: 8 });
    expect(result.files.has('blog/pagefind/pagefind.js')).toBe(true);
    expect([...result.files.keys()].filter((path) => /pagefind-(?:component-|modular-)?ui|playground/.test(path))).toEqual([]);
    const published = await lastGoodBuild(root, join(root, 'dist'));
    for (const path of indexFiles(result.files).keys()) expect(published.has(path.slice('blog/'.length)), path).toBe(true);
    expect(published.has('search/index.html')).toBe(true);
    expect(await readFile(join(root, 'dist', 'blog', 'pagefind', 'pagefind-entry.json'), 'utf8')).toBe(text(result.files.get('blog/pagefind/pagefind-entry.json')));

    const post = text(result.files.get('blog/school/index.html'));
    expect(post).toContain('<a class="site-search" href="../search/">بحث</a>');
    expect(text(result.files.get('blog/index.html'))).toContain('<a class="site-search" href="search/">بحث</a>');
    expect(text(result.files.get('blog/404.html'))).toContain('<a class="site-search" href="https://example.org/search/">بحث</a>');

    const page = text(result.files.get('blog/search/index.html'));
    expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="ar" dir="rtl">/);
    expect(page).toContain('<script type="module" src="../assets/search.js"></script>');
    expect(page).toContain('<a href="../tags/">كل الوسوم</a>');
    expect(page).toContain('<meta name="robots" content="noindex">');
  });

  it('indexes only the article of posts and pages, with title, date, tags, cover and summary as metadata', async () => {
    const root = await copyFixture('issue-15-search');
    await writeFile(
      join(root, 'posts', '2025-01-07-cover.md'),
      '---\ntitle: "غلاف"\nslug: cover\ndate: 2025-01-07\ndescription: "وصف قصير"\nauthor: "سارة"\nimage: cover.png\ntags:\n  - سفر\n  - "<b>x</b>"\n---\n\nنص الغلاف.\n',
    );
    await copyFile(join(FIXTURES, 'site-three-posts', 'posts', 'assets', 'cover.png'), join(root, 'posts', 'cover.png'));
    const result = await build({ root, write: false });
    const record = pageRecord(text(result.files.get('blog/cover/index.html')))!;
    expect(record.lang).toBe('ar');
    expect(record.meta).toEqual({ title: 'غلاف', date: '2025-01-07', dateText: expect.stringContaining('2025') as unknown as string, image: expect.stringMatching(/^\.\.\/media\/.*\.png$/) as unknown as string, summary: 'وصف قصير' });
    expect(record.filters).toEqual({ tag: ['سفر', '<b>x</b>'] });
    expect(record.text).toContain('نص الغلاف.');
    expect(record.text).toContain('سارة');
    // Not the header, the share line, the subscribe block, the footer, nor the labels every post carries.
    for (const words of ['موقع تجاربنا', 'يمكنك مشاركة', 'اشترك', 'اكتشاف المزيد', 'الوسوم', 'بقلم', 'للقراءة']) expect(record.text, words).not.toContain(words);
    expect(pageRecord(text(result.files.get('blog/about/index.html')))?.meta.title).toBe('من نحن');
    expect(pageRecord(text(result.files.get('blog/persian/index.html')))?.lang).toBe('fa');
    for (const path of ['blog/index.html', 'blog/tags/index.html', 'blog/404.html', 'blog/search/index.html']) expect(pageRecord(text(result.files.get(path))), path).toBeUndefined();
  });

  it('reads markers however a template spells them (attribute names are case-insensitive), and a page with none as not indexed', () => {
    const page = (body: string) => `<!doctype html><html lang="fa"><head><title>t</title></head><body>${body}</body></html>`;
    const record = pageRecord(page('<main DATA-PAGEFIND-BODY><h1 Data-Pagefind-Meta="title">عنوان</h1><p>متن &amp; <span data-pagefind-IGNORE>پنهان</span></p></main>'));
    expect(record).toEqual({ lang: 'fa', text: 'عنوان\n\nمتن &', meta: { title: 'عنوان' }, filters: {} });
    expect(pageRecord(page('<main data-pagefind-bodyx><p>متن</p></main>'))).toBeUndefined();
    expect(pageRecord(page('<main><p>data-pagefind-body in the text only</p></main>'))).toBeUndefined();
    // `<noscript>` holds elements, as for a reader without scripts: its markers count.
    const noscript = pageRecord(page('<noscript><div data-pagefind-body><img data-pagefind-meta="image[src]" src="a.png" alt=""><span data-pagefind-filter="tag">وسم</span>نص</div></noscript>'));
    expect(noscript).toEqual({ lang: 'fa', text: 'وسمنص', meta: { image: 'a.png' }, filters: { tag: ['وسم'] } });
  });

  it('takes no Pagefind markers from a post\'s own HTML: a post cannot rename itself, add tags or hide from search', async () => {
    const root = await copyFixture('issue-15-search');
    await writeFile(
      join(root, 'posts', '2025-01-08-spoof.md'),
      '---\ntitle: "حقيقي"\nslug: spoof\ndate: 2025-01-08\n---\n\n<div data-pagefind-body data-pagefind-meta="title:مزيف, summary:مزيف" data-pagefind-filter="tag:مزيف"><p data-pagefind-ignore>كلمة ظاهرة</p></div>\n',
    );
    const result = await build({ root, write: false });
    const record = pageRecord(text(result.files.get('blog/spoof/index.html')))!;
    expect(record.meta.title).toBe('حقيقي');
    expect(record.meta.summary).not.toContain('مزيف');
    expect(record.filters).toEqual({});
    expect(record.text).toContain('كلمة ظاهرة');
  });

  it('search: false leaves out the index, the search page and the header link', async () => {
    const root = await copyFixture('issue-15-search');
    const config = JSON.parse(await readFile(join(root, 'sahifa.config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, search: false }));
    const result = await build({ root });
    expect(result.search).toBeUndefined();
    expect([...result.files.keys()].filter((path) => /^blog\/(?:pagefind|search)\//.test(path))).toEqual([]);
    expect(text(result.files.get('blog/school/index.html'))).not.toContain('site-search');
    expect(text(result.files.get('blog/index.html'))).not.toContain('search/');
  });

  it('reuses the cached index while the pages are unchanged, and builds it again when one changes', async () => {
    const root = await copyFixture('issue-15-search');
    const first = await build({ root });
    // A build's files are read from the output folder, which the next build replaces: read them now.
    const firstIndex = indexFiles(first.files);
    const again = await build({ root });
    expect([first.search?.reused, again.search?.reused]).toEqual([false, true]);
    expect(indexFiles(again.files)).toEqual(firstIndex);
    // A change outside the indexed pages (the home page's description) keeps the index.
    const config = JSON.parse(await readFile(join(root, 'sahifa.config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, description: 'وصف جديد للموقع' }));
    expect((await build({ root })).search?.reused).toBe(true);
    // A changed post builds it again, and the new words are in it.
    await writeFile(join(root, 'posts', '2025-01-01-school.md'), (await readFile(join(root, 'posts', '2025-01-01-school.md'), 'utf8')).replace('الكبيرة', 'الجديدة'));
    const manifest = async () => (JSON.parse(await readFile(join(root, 'dist', '.sahifa-output'), 'utf8')) as { sha256: Record<string, string> }).sha256;
    const before = await manifest();
    const changed = await build({ root });
    expect(changed.search?.reused).toBe(false);
    // Issue 13: a post's record is kept as its page is rendered; the search step reads back only the other pages whose bytes changed (the lists).
    const after = await manifest();
    const pages = (sha256: Record<string, string>) => Object.keys(sha256).filter((path) => path.startsWith('blog/') && path.endsWith('.html') && path !== 'blog/search/index.html');
    const postPages = new Set(first.posts.map((post) => `blog/${post.slug}/index.html`));
    const differing = pages(after).filter((path) => before[path] !== after[path]);
    expect(differing).toContain('blog/school/index.html');
    expect(first.search?.read).toBe(pages(before).filter((path) => !postPages.has(path)).length);
    expect(changed.search?.read).toBe(differing.filter((path) => !postPages.has(path)).length);
    expect(indexFiles(changed.files)).not.toEqual(firstIndex);
    // The last index is kept (one part at this size), beside the table of pages, and the one it replaced while a build used it within the hour.
    const kept = async () => (await readdir(searchCacheDir(root))).filter((name) => /^[0-9a-f]{64}$/.test(name));
    expect(await kept()).toHaveLength(2);
    // An hour on, the next build drops the replaced index.
    const hoursAgo = new Date(Date.now() - 2 * KEEP_UNUSED_INDEX_MS);
    for (const name of await kept()) await utimes(join(searchCacheDir(root), name), hoursAgo, hoursAgo);
    await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, description: 'وصف آخر' }));
    expect((await build({ root })).search?.reused).toBe(true);
    expect(await kept()).toHaveLength(1);
    expect((await readdir(searchCacheDir(root))).filter((name) => !name.startsWith('.') && !/^[0-9a-f]{64}$/.test(name))).toEqual(['pages.json']);
  });

  it('builds the index again when the cached one is not whole (a file missing or changed), rather than publishing a broken one', async () => {
    const root = await copyFixture('issue-15-search');
    const firstWhole = whole((await build({ root })).files);
    const [key] = (await readdir(searchCacheDir(root))).filter((name) => /^[0-9a-f]{64}$/.test(name));
    const bundle = join(searchCacheDir(root), key!, 'bundle');
    await rm(join(bundle, 'pagefind-entry.json'));
    const missing = await build({ root });
    expect(missing.search?.reused).toBe(false);
    expect(whole(missing.files)).toEqual(firstWhole);
    await writeFile(join(bundle, 'pagefind.js'), 'alert(1)');
    const changed = await build({ root });
    expect(changed.search?.reused).toBe(false);
    expect(whole(changed.files)).toEqual(firstWhole);
    expect((await build({ root })).search?.reused).toBe(true);
  });

  it('issue 13: reads a page again when its cached record is damaged or not a record, and indexes the same', async () => {
    const root = await copyFixture('issue-15-search');
    const first = await build({ root });
    const firstWhole = whole(first.files);
    const db = new Database(join(root, '.sahifa', 'cache', 'search-records', 'records.sqlite'));
    const rows = db.prepare('SELECT count(*) AS count FROM records').get() as { count: number };
    const pages = [...first.files.keys()].filter((path) => path.startsWith('blog/') && path.endsWith('.html') && path !== 'blog/search/index.html');
    expect(rows.count).toBe(pages.length);
    db.prepare("UPDATE records SET record = CASE WHEN rowid % 2 = 0 THEN '{\"lang\":1}' ELSE 'not json' END").run();
    db.close();
    await rm(searchCacheDir(root), { recursive: true });
    const again = await build({ root });
    expect(again.search).toMatchObject({ reused: false, read: pages.length });
    expect(whole(again.files)).toEqual(firstWhole);
  });
});
