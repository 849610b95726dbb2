import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { GOOD_POST, makeSite, snapshot } from '../helpers/site.js';

const FRONT = '---\ntitle: "عميق"\ndate: 2025-01-01\n---\n\n';

/** Builds a site of one good post and `body` as posts/deep.md over a previous build; returns the fatal messages. */
async function refused(body: string): Promise<string[]> {
  const root = await makeSite({ 'posts/good.md': GOOD_POST });
  const out = join(root, 'dist');
  await build({ root, out });
  const before = await snapshot(out);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(root, 'posts', 'deep.md'), FRONT + body);
  const error = await build({ root, out }).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(BuildFailure);
  expect(await snapshot(out)).toEqual(before);
  return (error as BuildFailure).messages.filter((message) => message.fatal).map((message) => formatMessage(message, { cwd: root }));
}

const TOO_DEEP = 'error the post nests more than 100 levels deep here (quotes, lists or HTML elements inside each other): flatten this part [post-too-deep]';

describe('issue 9: depth and size are limited per post, with the place', () => {
  it('1,000 nested quotes', async () => {
    expect(await refused(`${'>'.repeat(1000)} نص\n`)).toEqual([`posts/deep.md:6:101: ${TOO_DEEP}`]);
  });

  it('10,000 nested <div>s, on one line or many', async () => {
    expect(await refused(`${'<div>'.repeat(10_000)}x${'</div>'.repeat(10_000)}\n`)).toEqual([`posts/deep.md:6:496: ${TOO_DEEP}`]);
    expect(await refused(`${'<section>\n'.repeat(150)}x\n`)).toEqual([`posts/deep.md:105:1: ${TOO_DEEP}`]);
  });

  it('10,000 nested inline <span>s inside a paragraph', async () => {
    expect((await refused(`نص ${'<span>'.repeat(10_000)}x${'</span>'.repeat(10_000)}\n`))[0]).toMatch(/^posts\/deep\.md:6:\d+: error the post nests more than 100 levels/);
  });

  it('a 500-level list, and 5,000 list markers on one line', async () => {
    expect(await refused(`${'- '.repeat(5000)}بند\n`)).toEqual([`posts/deep.md:6:135: ${TOO_DEEP}`]);
    const list = Array.from({ length: 500 }, (_, level) => `${'  '.repeat(level)}- بند`).join('\n');
    expect((await refused(`${list}\n`))[0]).toMatch(/^posts\/deep\.md:\d+:\d+: error the post nests more than 100 levels/);
  });

  it('a 2 MB table, and a small table whose short rows would be filled to 40,000 cells', async () => {
    const big = `| a | b |\n| - | - |\n${'| خلية | خلية |\n'.repeat(100_000)}`;
    expect(await refused(big)).toEqual(['posts/deep.md:1:1: error the post is 2.3 MB, more than the 1 MB a post may have: split it into several posts [post-too-large]']);
    const wide = `|${' h |'.repeat(2000)}\n|${'-|'.repeat(2000)}\n${'| x |\n'.repeat(20)}`;
    expect(await refused(wide)).toEqual([
      'posts/deep.md:6:1: error this table has 42000 cells (rows × columns), more than the 20000 a table may have: split it, or link the data as a file [post-table-too-large]',
    ]);
  });

  it('still builds ordinary posts: unclosed <p> and <li>, 30 levels of quotes', async () => {
    const root = await makeSite({
      'posts/ok.md': `${FRONT}${'<p>فقرة\n'.repeat(300)}\n\n${'<ul><li>a'.repeat(20)}${'</ul>'.repeat(20)}\n\n${'>'.repeat(30)} اقتباس\n`,
    });
    const result = await build({ root, write: false });
    expect(result.posts).toHaveLength(1);
  });
});
