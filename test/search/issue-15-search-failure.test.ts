import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESERVED_SLUGS } from '../../src/pipeline/output-layout.js';
import { sahifa } from '../helpers/cli.js';
import { copyFixture, GOOD_POST, makeSite, snapshot } from '../helpers/site.js';

describe('issue 15: a search index that cannot be built fails the build', () => {
  it('says so in one line naming the setting, and leaves the previous output as it was', async () => {
    const root = await copyFixture('issue-15-search');
    expect((await sahifa(['build', '--root', root])).status).toBe(0);
    const before = await snapshot(join(root, 'dist'));
    await writeFile(join(root, 'posts', '2025-01-08-new.md'), GOOD_POST);
    const broken = join(root, 'not-pagefind');
    await writeFile(broken, '#!/bin/sh\nexit 3\n');
    await chmod(broken, 0o755);
    for (const binary of [join(root, 'missing-binary'), broken]) {
      const run = await sahifa(['build', '--root', root], { env: { PAGEFIND_BINARY_PATH: binary } });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        `sahifa.config.json: error the search index could not be built (Pagefind: ${binary} does not run (${binary === broken ? 3 : 'ENOENT'}, named by PAGEFIND_BINARY_PATH)): reinstall the dependencies (npm install) so Pagefind's binary is there, or set "search": false in sahifa.config.json to build without search [search-index]`,
        'Build failed with 1 error; the previous output was left as it was.',
      ]);
      expect(await snapshot(join(root, 'dist'))).toEqual(before);
    }
  });

  it('keeps the names of the search page and its index from posts and pages', async () => {
    expect(RESERVED_SLUGS).toContain('search');
    expect(RESERVED_SLUGS).toContain('pagefind');
    const root = await makeSite({ 'posts/a.md': GOOD_POST, 'posts/b.md': '---\ntitle: "بحث"\ndate: 2025-01-02\nslug: Search\n---\n\nنص.\n', 'pages/pagefind.md': '---\ntitle: x\n---\n\nنص.\n' });
    const run = await sahifa(['build'], { cwd: root });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^pages\/pagefind\.md:2:8: error cannot make a slug from the file name \("pagefind" is a name the site itself uses under dist\/blog\//);
    expect(lines[1]).toMatch(/^posts\/b\.md:4:7: error unsafe `slug` "Search": "Search" is a name the site itself uses under dist\/blog\//);
    expect(lines[2]).toBe('Build failed with 2 errors; nothing was written.');
  });
});
