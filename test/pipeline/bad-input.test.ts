import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { CONFIG_JSON, copyFixture, FIXTURES, GOOD_POST, makeSite, snapshot } from '../helpers/site.js';

/**
 * Builds `root` into `out`, expecting it to fail, and returns every message
 * formatted with paths relative to the site.
 */
async function failingBuild(root: string, out: string): Promise<string> {
  const error = await build({ root, out }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(BuildFailure);
  return (error as BuildFailure).messages.map((message) => formatMessage(message, { cwd: root })).join('\n');
}

/** Gives `out` a previous, good build, and returns its snapshot. */
async function previousBuild(out: string): Promise<Record<string, string>> {
  const good = await makeSite({ 'posts/good.md': GOOD_POST });
  await build({ root: good, out });
  return snapshot(out);
}

/**
 * Each folder under test/fixtures/bad is a site with one problem and
 * `expected.txt`, the exact messages the build must print. In every case the
 * build fails and the previous output folder is left byte for byte as it was.
 */
describe('bad input fails the build and keeps the previous output', () => {
  const cases = readdirSync(join(FIXTURES, 'bad'));
  for (const name of cases) {
    it(name, async () => {
      const root = await copyFixture(join('bad', name));
      if (!existsSync(join(root, 'sahifa.config.json'))) await writeFile(join(root, 'sahifa.config.json'), CONFIG_JSON);
      const out = join(root, 'dist');
      const before = await previousBuild(out);
      const messages = await failingBuild(root, out);
      const expectedPath = join(FIXTURES, 'bad', name, 'expected.txt');
      if (process.env.UPDATE_FIXTURES) await writeFile(expectedPath, `${messages}\n`);
      expect(messages).toBe((await readFile(expectedPath, 'utf8')).trim());
      expect(await snapshot(out)).toEqual(before);
    });
  }

  it('an unreadable post (a folder named like a post) is named', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD_POST });
    await mkdir(join(root, 'posts', 'broken.md'));
    const out = join(root, 'dist');
    const before = await previousBuild(out);
    expect(await failingBuild(root, out)).toBe('posts/broken.md: error cannot read this post (EISDIR): check that it is a readable file [post-unreadable]');
    expect(await snapshot(out)).toEqual(before);
  });

  it('a missing configuration says how to make one', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD_POST });
    await rm(join(root, 'sahifa.config.json'));
    expect(await failingBuild(root, join(root, 'dist'))).toMatch(/^sahifa\.config\.json: error no site configuration: no sahifa\.config\.json in .+ or any folder above it; run sahifa from the site root .+ \[config-unreadable\]$/);
  });

  it('a missing posts folder says what to create', async () => {
    const root = await makeSite({});
    expect(await failingBuild(root, join(root, 'dist'))).toBe('posts: error no posts/ folder: create it and put your Markdown posts there [posts-unreadable]');
  });

  it('refuses an output folder that holds the site', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD_POST });
    expect(await failingBuild(root, root)).toMatch(/output folder would hold the site itself/);
    expect(await failingBuild(join(root, 'posts'), join(root, 'posts', '..'))).toMatch(/output folder would hold the site itself/);
  });

  it('refuses to replace a folder it did not write', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD_POST, 'notes/keep.txt': 'mine' });
    const out = join(root, 'notes');
    const before = await snapshot(out);
    expect(await failingBuild(root, out)).toMatch(/^notes: error refusing to replace this folder: it is not empty and sahifa did not write it/);
    expect(await snapshot(out)).toEqual(before);
  });
});
