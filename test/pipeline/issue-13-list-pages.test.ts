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
    // Three home pages, two tag pages and the index of tags.
    expect(cold.lists).toEqual({ cached: 0, rendered: 6 });
    expect((await buildSite(root)).lists).toEqual({ cached: 6, rendered: 0 });

    // The oldest post (third home page, tag "فردي") gets a new title: the newest home pages and the other tag stay.
    const oldest = join(root, 'posts', '2025-01-01-post-1.md');
    await writeFile(oldest, (await readFile(oldest, 'utf8')).replace('تدوينة 1"', 'تدوينة أولى معدلة"'));
    const edited = await buildSite(root);
    expect(edited.lists).toEqual({ cached: 4, rendered: 2 });
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
    // A kept entry whose file the output lacks cannot be taken from there.
    await writeFile(join(root, 'dist', 'blog', 'tags', 'index.html'), 'changed by hand');

    const again = await buildSite(root);
    expect(again.lists.rendered).toBe(4);
    await buildSite(root, false);
    expect(await snapshot(join(root, 'dist'))).toEqual(await snapshot(join(root, 'clean')));
  });
});
