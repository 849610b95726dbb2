import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { copyFixture } from '../helpers/site.js';

/** The scripts of each part's bundle. */
const SCRIPTS = ['pagefind.js', 'pagefind-worker.js'];

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

  it('writes, for each part, an entry that parses and names its files, a fragment per page, scripts that compile and compressed files that decompress whole', async () => {
    const root = await copyFixture('issue-15-search');
    const result = await build({ root });
    expect(result.search!.parts).toBeGreaterThan(1);
    const index = join(root, 'dist', 'blog', 'pagefind');
    const files = await filesUnder(index);
    const entries = files.filter((path) => path.endsWith('pagefind-entry.json'));
    expect(entries).toHaveLength(result.search!.parts);
    const scripts = new Map(SCRIPTS.map((name) => [name, new Set<string>()]));
    for (const entry of entries) {
      const part = entry.slice(0, -'pagefind-entry.json'.length);
      const parsed = JSON.parse(await readFile(join(index, entry), 'utf8')) as { version: string; languages: Record<string, { hash: string; page_count: number }> };
      expect(Object.keys(parsed.languages).length, entry).toBeGreaterThan(0);
      let pages = 0;
      for (const { hash, page_count } of Object.values(parsed.languages)) {
        expect(page_count, entry).toBeGreaterThan(0);
        expect(files, entry).toContain(`${part}pagefind.${hash}.pf_meta`);
        pages += page_count;
      }
      // One fragment per page: none left out.
      expect(files.filter((path) => path.startsWith(`${part}fragment/`)), entry).toHaveLength(pages);
      for (const name of SCRIPTS) scripts.get(name)!.add(await readFile(join(index, part, name), 'utf8'));
    }
    // Every part carries the same scripts, and a script cut short would not compile (they are ES modules: checked by node).
    for (const [name, texts] of scripts) {
      expect(texts.size, name).toBe(1);
      expect(spawnSync(process.execPath, ['--input-type=module', '--check'], { input: [...texts][0] }).status, name).toBe(0);
    }
    // Pagefind's own UI and playground are left out.
    expect(files.filter((path) => /pagefind-(?:component-|modular-)?ui|pagefind-highlight|playground/.test(path))).toEqual([]);
    // Every compressed file decompresses whole (a file cut short fails its gzip check); the index files start with Pagefind's signature.
    const compressed = files.filter((path) => /\.pf_(?:meta|index|fragment|filter)$/.test(path));
    expect(compressed.length).toBeGreaterThan(result.search!.parts * 3);
    for (const path of compressed) expect(gunzipSync(await readFile(join(index, path))).subarray(0, 12).toString('latin1'), path).toBe('pagefind_dcd');
    const wasm = files.filter((path) => /wasm\.[\w-]+\.pagefind$/.test(path));
    expect(wasm.length).toBeGreaterThanOrEqual(result.search!.parts);
    for (const path of wasm) expect(gunzipSync(await readFile(join(index, path))).byteLength, path).toBeGreaterThan(1000);
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
