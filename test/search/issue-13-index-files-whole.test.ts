import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { copyFixture } from '../helpers/site.js';

/** Every file under `folder`, by path relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1));
}

// Regression (a CI run of issue 13's index parts read an empty `pagefind-entry.json`): Pagefind's `WriteFiles`
// answers before its last writes reach the files (Pagefind issue 1271), so the index comes back in Pagefind's answer
// and sahifa writes it. The race cannot be forced through the real binary; what must hold is that every file of
// every part is whole, in the output and in the cache the next build takes parts from.
describe('issue 13: every file of the search index is whole', () => {
  beforeEach(() => {
    process.env.SAHIFA_SEARCH_PART_PAGES = '1';
  });
  afterEach(() => {
    delete process.env.SAHIFA_SEARCH_PART_PAGES;
  });

  it('writes, for each part, an entry that parses and names its files, and compressed files that decompress whole', async () => {
    const root = await copyFixture('issue-15-search');
    const result = await build({ root });
    expect(result.search!.parts).toBeGreaterThan(1);
    const index = join(root, 'dist', 'blog', 'pagefind');
    const files = await filesUnder(index);
    const entries = files.filter((path) => path.endsWith('pagefind-entry.json'));
    expect(entries).toHaveLength(result.search!.parts);
    for (const entry of entries) {
      const part = entry.slice(0, -'pagefind-entry.json'.length);
      const parsed = JSON.parse(await readFile(join(index, entry), 'utf8')) as { version: string; languages: Record<string, { hash: string; page_count: number }> };
      expect(Object.keys(parsed.languages).length, entry).toBeGreaterThan(0);
      for (const { hash, page_count } of Object.values(parsed.languages)) {
        expect(page_count, entry).toBeGreaterThan(0);
        expect(files, entry).toContain(`${part}pagefind.${hash}.pf_meta`);
      }
      for (const name of ['pagefind.js', 'pagefind-worker.js']) expect((await readFile(join(index, part, name))).byteLength, `${part}${name}`).toBeGreaterThan(1000);
    }
    // Pagefind's own UI and playground are left out.
    expect(files.filter((path) => /pagefind-(?:component-|modular-)?ui|pagefind-highlight|playground/.test(path))).toEqual([]);
    const compressed = files.filter((path) => /\.pf_(?:meta|index|fragment|filter)$/.test(path));
    expect(compressed.length).toBeGreaterThan(result.search!.parts * 3);
    for (const path of compressed) expect(gunzipSync(await readFile(join(index, path))).subarray(0, 12).toString('latin1'), path).toBe('pagefind_dcd');
    // The cache holds the same bytes, part by part.
    const cache = join(root, '.sahifa', 'cache', 'search');
    for (const key of (await readdir(cache, { withFileTypes: true })).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))) {
      const bundle = join(cache, key.name, 'bundle');
      const entry = JSON.parse(await readFile(join(bundle, 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { hash: string }> };
      const { hash } = Object.values(entry.languages)[0]!;
      const owner = entries.find((path) => files.includes(`${path.slice(0, -'pagefind-entry.json'.length)}pagefind.${hash}.pf_meta`))!;
      expect(await readFile(join(bundle, 'pagefind-entry.json'))).toEqual(await readFile(join(index, owner)));
    }
  });
});
