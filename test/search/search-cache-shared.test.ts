import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { keepIndex, readCachedIndex, searchCacheDir } from '../../src/search/index-cache.js';
import { copyFixture } from '../helpers/site.js';

const DRAFT = '---\ntitle: "مسودة"\ndate: 2025-01-10\ndraft: true\n---\n\nمسودة عن الحدائق والأزهار.\n';

/** The cached indexes' folders, by name. */
async function keys(root: string): Promise<string[]> {
  return (await readdir(searchCacheDir(root))).filter((name) => /^[0-9a-f]{64}$/.test(name)).sort();
}

describe('one site built into two output folders shares its search cache without evicting the other’s index', () => {
  it('keeps both indexes while both builds use them (`sahifa dev --drafts` beside `sahifa build`)', async () => {
    const root = await copyFixture('issue-15-search');
    await writeFile(join(root, 'posts', '2025-01-10-draft.md'), DRAFT);
    const site = () => build({ root });
    const preview = () => build({ root, out: join(root, 'preview'), drafts: true });
    expect((await site()).search?.reused).toBe(false);
    expect((await preview()).search?.reused).toBe(false);
    const both = await keys(root);
    expect(both).toHaveLength(2);
    // Each built again (a change the index does not see, so it does not count as "nothing changed"): each finds its own index.
    await writeFile(join(root, 'notes.txt'), 'a file no page uses\n');
    expect((await site()).search).toMatchObject({ reused: true, built: 0 });
    expect((await preview()).search).toMatchObject({ reused: true, built: 0 });
    expect(await keys(root)).toEqual(both);
  });
});

describe('keepIndex', () => {
  it('leaves a sound index that another build made meanwhile as it is, and drops the staged one', async () => {
    const root = await copyFixture('issue-15-search');
    await build({ root });
    const [key] = await keys(root);
    const kept = join(searchCacheDir(root), key!);
    const before = await stat(kept);
    const staging = join(searchCacheDir(root), `.${key}-${process.pid}-0badf00d`);
    await mkdir(join(staging, 'bundle'), { recursive: true });
    await writeFile(join(staging, 'bundle', 'pagefind-entry.json'), '{}');
    await keepIndex(root, key!, staging, { 'pagefind-entry.json': ['0'.repeat(64), 2, 0] });
    expect((await stat(kept)).ino).toBe(before.ino);
    expect(await readCachedIndex(root, key!)).toBeDefined();
    expect((await readdir(searchCacheDir(root))).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('replaces an index that is no longer whole', async () => {
    const root = await copyFixture('issue-15-search');
    await build({ root });
    const [key] = await keys(root);
    await writeFile(join(searchCacheDir(root), key!, 'files.json'), '{}');
    expect(await readCachedIndex(root, key!)).toBeUndefined();
    const staging = join(searchCacheDir(root), `.${key}-${process.pid}-0badf00d`);
    await mkdir(join(staging, 'bundle'), { recursive: true });
    await writeFile(join(staging, 'bundle', 'pagefind-entry.json'), '{}');
    const { mtimeMs } = await stat(join(staging, 'bundle', 'pagefind-entry.json'));
    await keepIndex(root, key!, staging, { 'pagefind-entry.json': ['44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', 2, mtimeMs] });
    expect(await readCachedIndex(root, key!)).toMatchObject({ files: { 'pagefind-entry.json': ['44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', 2, mtimeMs] } });
    expect((await readdir(searchCacheDir(root))).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
