import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/pipeline/build.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { copyFixture } from '../helpers/site.js';

const CLEAN = join('.sahifa', 'cache', 'links', 'clean.json');

/** The link check's findings of a build, as a writer reads them. */
const brokenLinks = (result: BuildResult, root: string) =>
  result.warnings
    .filter((message) => message.ruleId === 'broken-link')
    .map((message) => formatMessage(message, { cwd: root }))
    .sort();

/** What a check of every page finds in the site as it is now (a build that writes nothing and has no cache). */
const checkedWhole = async (root: string) => brokenLinks(await build({ root, write: false }), root);

describe('issue 13: the link check spares the pages it found clean while nothing they can point at changed', () => {
  it('finds what a check of every page finds, after each edit: a new broken anchor, a deleted target, a removed id, a fixed link', async () => {
    const root = await copyFixture('site-three-posts');
    const edit = async (file: string, change: (text: string) => string) => writeFile(join(root, 'posts', file), change(await readFile(join(root, 'posts', file), 'utf8')));
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['first build', async () => undefined],
      ['nothing changed', async () => undefined],
      // Heading ids carry the sanitiser's prefix (`user-content-`), which a link to another page must spell out.
      ['a link to an id the first post lacks', () => edit('2025-01-03-third.md', (text) => `${text}\n\nSee [the first](../first/#user-content-nowhere) and [its heading](../first/#first-heading).\n`)],
      ['the id made', () => edit('2025-01-01-first.md', (text) => `${text}\n\n## Nowhere\n\nText.\n`)],
      ['an unrelated edit', () => edit('2025-01-02-second.md', (text) => `${text}\n\nOne more line.\n`)],
      ['the id removed again', () => edit('2025-01-01-first.md', (text) => text.replace('## Nowhere', 'Nowhere'))],
      ['the first post deleted', () => rm(join(root, 'posts', '2025-01-01-first.md'))],
      ['the second post\'s broken links fixed', () => edit('2025-01-02-second.md', (text) => text.replaceAll('../missing/', '../third/').replaceAll('../first/', '../third/'))],
    ];
    const seen: Record<string, { incremental: string[]; whole: string[] }> = {};
    for (const [name, step] of steps) {
      await step();
      const incremental = brokenLinks(await build({ root }), root);
      seen[name] = { incremental, whole: await checkedWhole(root) };
    }
    for (const [name, { incremental, whole }] of Object.entries(seen)) expect(incremental, name).toEqual(whole);
    // The steps did change what was found, so the comparison above compared something.
    expect(seen['first build']!.whole.length).toBe(1);
    expect(seen['a link to an id the first post lacks']!.whole.some((line) => line.includes('#user-content-nowhere'))).toBe(true);
    expect(seen['the id made']!.whole.some((line) => line.includes('#user-content-nowhere'))).toBe(false);
    expect(seen['the id removed again']!.whole.some((line) => line.includes('#user-content-nowhere'))).toBe(true);
    expect(seen['the first post deleted']!.whole.some((line) => line.includes('no first/index.html'))).toBe(true);
    expect(seen['the second post\'s broken links fixed']!.whole.some((line) => line.includes('second/index.html'))).toBe(false);
  });

  it('reports a page with a problem again on every build, and takes a page it kept as clean without looking (shown by a kept entry forged for a broken page)', async () => {
    const root = await copyFixture('site-three-posts');
    const first = brokenLinks(await build({ root }), root);
    expect(first).toHaveLength(1);
    expect(brokenLinks(await build({ root }), root)).toEqual(first);
    const kept = JSON.parse(await readFile(join(root, CLEAN), 'utf8')) as { key: string; value: Record<string, string> };
    expect(kept.value['second/index.html']).toBeUndefined();
    expect(kept.value['first/index.html']).toMatch(/^[0-9a-f]{64}$/);
    const manifest = JSON.parse(await readFile(join(root, 'dist', '.sahifa-output'), 'utf8')) as { sha256: Record<string, string> };
    kept.value['second/index.html'] = manifest.sha256['blog/second/index.html']!;
    await writeFile(join(root, CLEAN), JSON.stringify(kept));
    expect(brokenLinks(await build({ root }), root)).toEqual([]);
    // A word edited in another post renames some of the search index's files (Pagefind names them by content): the
    // memory holds (the forged entry is still believed), as the index's files are not among what links are checked against.
    const third = join(root, 'posts', '2025-01-03-third.md');
    const indexFiles = async () => Object.keys((JSON.parse(await readFile(join(root, 'dist', '.sahifa-output'), 'utf8')) as { sha256: Record<string, string> }).sha256).filter((path) => path.startsWith('blog/pagefind/')).sort();
    const before = await indexFiles();
    await writeFile(third, (await readFile(third, 'utf8')).replace('Back to', 'Return to'));
    expect(brokenLinks(await build({ root }), root)).toEqual([]);
    expect(await indexFiles()).not.toEqual(before);
    // Without the cache every page is checked; a damaged file is ignored.
    expect(brokenLinks(await build({ root, cache: false }), root)).toEqual(first);
    await writeFile(join(root, CLEAN), '{"context": ');
    expect(brokenLinks(await build({ root }), root)).toEqual(first);
  });

  it('never remembers a page that links into the search index (its files are left out of what the memory compares)', async () => {
    const root = await copyFixture('site-three-posts');
    const third = join(root, 'posts', '2025-01-03-third.md');
    await writeFile(third, `${await readFile(third, 'utf8')}\n\nThe [index script](../pagefind/pagefind.js) and [a lost part](../pagefind/9/pagefind-entry.json).\n`);
    const found = brokenLinks(await build({ root }), root);
    expect(found.filter((line) => line.includes('pagefind'))).toEqual([expect.stringContaining('pagefind/9/pagefind-entry.json')]);
    const kept = JSON.parse(await readFile(join(root, CLEAN), 'utf8')) as { value: Record<string, string> };
    expect(kept.value['third/index.html']).toBeUndefined();
    expect(kept.value['first/index.html']).toBeDefined();
    expect(brokenLinks(await build({ root }), root)).toEqual(found);
  });
});
