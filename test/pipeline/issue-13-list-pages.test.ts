import Database from 'better-sqlite3';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { CONFIG_JSON, makeSite, snapshot } from '../helpers/site.js';

const NOW = new Date('2026-01-01T00:00:00Z');

/** A site of 25 posts, one a day, 10 to a home page: three home pages, the oldest posts on the third. */
async function listSite(): Promise<string> {
  const files: Record<string, string> = { 'sahifa.config.json': JSON.stringify({ ...JSON.parse(CONFIG_JSON), postsPerPage: 10 }) };
  for (let day = 1; day <= 25; day += 1) {
    const date = `2025-01-${String(day).padStart(2, '0')}`;
    files[`posts/${date}-post-${day}.md`] = `---\ntitle: "تدوينة ${day}"\ndate: ${date}\ntags: [${day % 2 ? 'فردي' : 'زوجي'}]\n---\n\nنص التدوينة رقم ${day}.\n`;
  }
  return makeSite(files);
}

/** Builds into `dist` with a fixed clock. */
const buildSite = (root: string, cache = true) => build({ root, out: join(root, cache ? 'dist' : 'clean'), now: NOW, cache });

describe('issue 13: list pages kept by what they show', () => {
  it('renders again only the list pages that show an edited post, with the same bytes as a clean build', async () => {
    const root = await listSite();
    const cold = await buildSite(root);
    // Three home pages, two pages for each of two tags (13 and 12 posts) and the index of tags.
    expect(cold.lists).toEqual({ cached: 0, rendered: 8 });
    expect((await buildSite(root)).lists).toEqual({ cached: 8, rendered: 0 });

    // The oldest post (third home page, second page of tag "فردي") gets a new title: every other list page stays.
    const oldest = join(root, 'posts', '2025-01-01-post-1.md');
    await writeFile(oldest, (await readFile(oldest, 'utf8')).replace('تدوينة 1"', 'تدوينة أولى معدلة"'));
    const edited = await buildSite(root);
    expect(edited.lists).toEqual({ cached: 6, rendered: 2 });
    expect(await readFile(join(root, 'dist', 'blog', 'tags', 'فردي', 'page', '2', 'index.html'), 'utf8')).toContain('تدوينة أولى معدلة');
    expect(await readFile(join(root, 'dist', 'blog', 'page', '3', 'index.html'), 'utf8')).toContain('تدوينة أولى معدلة');

    await buildSite(root, false);
    expect(await snapshot(join(root, 'dist'))).toEqual(await snapshot(join(root, 'clean')));
  });

  it('renders a page again when its kept entry is damaged or its file is gone from the output', async () => {
    const root = await listSite();
    await buildSite(root);
    const db = new Database(join(root, '.sahifa', 'cache', 'pages', 'pages.sqlite'));
    const keys = db.prepare('SELECT key FROM pages ORDER BY key').all() as Array<{ key: string }>;
    const damage = db.prepare('UPDATE pages SET page = ? WHERE key = ?');
    damage.run('not json', keys[0]!.key);
    damage.run(JSON.stringify({ sha256: 'short', size: 1, ids: [], links: [] }), keys[1]!.key);
    damage.run(JSON.stringify({ sha256: 'a'.repeat(64), size: 10, ids: [1], links: [] }), keys[2]!.key);
    db.close();
    expect((await buildSite(root)).lists).toEqual({ cached: 5, rendered: 3 });
    expect((await buildSite(root)).lists).toEqual({ cached: 8, rendered: 0 });

    // A kept entry whose file the output no longer holds as it was cannot be taken from there.
    await writeFile(join(root, 'dist', 'blog', 'tags', 'index.html'), 'changed by hand');
    expect((await buildSite(root)).lists).toEqual({ cached: 7, rendered: 1 });
    await buildSite(root, false);
    expect(await snapshot(join(root, 'dist'))).toEqual(await snapshot(join(root, 'clean')));
  });

  it('splits a tag with more posts than a page holds into pages linked like the home page', async () => {
    const root = await listSite();
    await buildSite(root);
    const tag = join(root, 'dist', 'blog', 'tags', 'فردي');
    const first = await readFile(join(tag, 'index.html'), 'utf8');
    const second = await readFile(join(tag, 'page', '2', 'index.html'), 'utf8');
    // 13 posts: the newest ten, then the oldest three.
    expect(first.match(/تدوينة \d+/g)).toEqual(expect.arrayContaining(['تدوينة 25', 'تدوينة 7']));
    expect(first).not.toContain('تدوينة 5<');
    expect(second).toContain('تدوينة 5<');
    expect(second).toContain('تدوينة 1<');
    expect(first).toContain(`rel="next" href="../../tags/${encodeURIComponent('فردي')}/page/2/"`);
    expect(second).toContain(`rel="prev" href="../../../../tags/${encodeURIComponent('فردي')}/"`);
    expect(second).toContain(`<link rel="canonical" href="https://example.org/tags/${encodeURIComponent('فردي')}/page/2/">`);
    const sitemap = await readFile(join(root, 'dist', 'blog', 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain(`https://example.org/tags/${encodeURIComponent('فردي')}/page/2/`);
  });
});
