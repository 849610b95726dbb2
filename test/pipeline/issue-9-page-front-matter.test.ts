import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { CONFIG_JSON, GOOD_POST, makeSite } from '../helpers/site.js';

/** Builds a site with one page, returning the formatted messages (warnings, or the errors it failed with). */
async function pageMessages(page: string): Promise<{ ok: boolean; messages: string[]; root: string }> {
  const root = await makeSite({ 'sahifa.config.json': CONFIG_JSON, 'posts/good.md': GOOD_POST, 'pages/about.md': page });
  try {
    const result = await build({ root });
    return { ok: true, root, messages: result.warnings.map((message) => formatMessage(message, { cwd: root })) };
  } catch (error) {
    if (!(error instanceof BuildFailure)) throw error;
    return { ok: false, root, messages: error.messages.map((message) => formatMessage(message, { cwd: root })) };
  }
}

describe('issue 9: a page’s front matter is held to the posts’ rules', () => {
  it('cleans bidi overrides and control characters from the title and description, with a warning at the field', async () => {
    const { ok, messages, root } = await pageMessages('---\ntitle: "من \u202eنحن"\ndescription: "وصف\u0007 قصير"\n---\n\nنص الصفحة.\n');
    expect(ok).toBe(true);
    expect(messages).toEqual([
      'pages/about.md:2:8: warning `title` holds control or bidi override characters (from a word processor, or a spoof); they were removed or closed [front-matter-controls]',
      'pages/about.md:3:14: warning `description` holds control or bidi override characters (from a word processor, or a spoof); they were removed or closed [front-matter-controls]',
    ]);
    const html = await readFile(join(root, 'dist', 'blog', 'about', 'index.html'), 'utf8');
    expect(html).not.toMatch(/[\u202a-\u202e\u0007]/);
  });

  it('refuses a lone surrogate and an alias bomb with the posts’ messages, and names the page', async () => {
    const surrogate = await pageMessages('---\ntitle: "من \\uD800 نحن"\n---\n\nنص.\n');
    expect(surrogate.ok).toBe(false);
    expect(surrogate.messages).toEqual([expect.stringMatching(/^pages\/about\.md:2:8: error `title` holds a lone surrogate \(\\uD800\), which is not a character/)]);

    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...['b', 'c', 'd', 'e'].map((key, index) => `${key}: &${key} [${Array(10).fill(`*${['a', 'b', 'c', 'd'][index]}`).join(',')}]`)].join('\n');
    const aliases = await pageMessages(`---\ntitle: عن\n${bomb}\n---\n\nنص.\n`);
    expect(aliases.ok).toBe(false);
    expect(aliases.messages.join('\n')).toMatch(/^pages\/about\.md:\d+:\d+: error the front matter repeats YAML aliases/m);
  });

  it('says "page" where a post would say "post"', async () => {
    const empty = await pageMessages('---\ntitle: عن\n---\n');
    expect(empty.messages).toEqual(['pages/about.md:4:1: error the page has no body: write at least one paragraph after the front matter [post-no-body]']);
    const missing = await pageMessages('نص بلا رأس.\n');
    expect(missing.messages).toEqual(['pages/about.md:1:1: error missing front matter: start the page with a `---` block holding at least `title:` [front-matter-missing]']);
  });
});
