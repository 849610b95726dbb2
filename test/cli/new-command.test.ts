import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { sahifa } from '../helpers/cli.js';
import { GOOD_POST, makeSite } from '../helpers/site.js';

describe('sahifa new', () => {
  it('starts a draft post with an Arabic slug, which builds once the draft line goes', async () => {
    const root = await makeSite({ 'posts/first.md': GOOD_POST });
    const run = await sahifa(['new', 'محادثات إسطنبول: الجولة الثانية', '--date', '2025-03-01', '--root', root]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('Created posts/2025-03-01-محادثات-إسطنبول-الجولة-الثانية.md (draft: true until you remove that line)\n');
    const path = join(root, 'posts', '2025-03-01-محادثات-إسطنبول-الجولة-الثانية.md');
    expect(await readFile(path, 'utf8')).toBe('---\ntitle: "محادثات إسطنبول: الجولة الثانية"\ndate: 2025-03-01\ndraft: true\n---\n\nاكتب هنا.\n');
    expect((await build({ root, write: false, drafts: true })).posts.map((post) => post.slug)).toContain('محادثات-إسطنبول-الجولة-الثانية');
    const again = await sahifa(['new', 'محادثات إسطنبول: الجولة الثانية', '--date', '2025-03-01', '--root', root]);
    expect(again.stderr).toBe('error: posts/2025-03-01-محادثات-إسطنبول-الجولة-الثانية.md already exists: choose another --slug\n');
    const english = await sahifa(['new', 'Talks', '--lang', 'en', '--slug', 'talks', '--date', '2025-03-02', '--root', root]);
    expect(english.stdout).toBe('Created posts/2025-03-02-talks.md (draft: true until you remove that line)\n');
    expect(await readFile(join(root, 'posts', '2025-03-02-talks.md'), 'utf8')).toContain('lang: en\ndraft: true\n---\n\nWrite here.\n');
    expect((await sahifa(['new', 'x', '--slug', '../etc', '--root', root])).stderr).toMatch(/^error: cannot use "\.\.\/etc" as the slug/);
  });
});
