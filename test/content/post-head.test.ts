import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { readFrontMatter } from '../../src/content/front-matter.js';
import { frontMatterTree, loadPostHeads } from '../../src/content/post-head.js';
import { loadPost } from '../../src/content/load-post.js';
import { readPostFile } from '../../src/content/find-posts.js';
import { processorCache } from '../../src/markdown/processor-cache.js';
import { parseMarkdown } from '../../src/markdown/processor.js';
import { checkSendable } from '../../src/send/find-post.js';
import { CONFIG, FIXTURES, makeSite, REPO } from '../helpers/site.js';

/** The `yaml` node remark gives, without the rest of the tree. */
const byRemark = (text: string) => parseMarkdown(new VFile({ path: 'post.md', value: text })).children.filter((node) => node.type === 'yaml');

const SHAPES: Record<string, string> = {
  plain: '---\ntitle: أ\ndate: 2025-01-01\n---\n\nنص.\n',
  crlf: '---\r\ntitle: a\r\ndate: 2025-01-01\r\n---\r\n\r\nbody\r\n',
  'spaces after the fences': '---  \ntitle: a\n---\t \nbody\n',
  empty: '---\n---\nbody\n',
  'empty, crlf': '---\r\n---\r\nbody\r\n',
  'closed at the end of the file': '---\ntitle: a\n---',
  'blank lines inside': '---\n\ntitle: a\n\n---\n\nbody\n',
  'a blank line before the closing fence, crlf': '---\r\ntitle: a\r\n\r\n---\r\nbody',
  'never closed': '---\ntitle: a\ndate: 2025-01-01\n',
  'no opening fence': 'title: a\n---\nbody\n',
  'four dashes': '----\ntitle: a\n----\nbody\n',
  'an indented closing fence, then a real one': '---\ntitle: a\n ---\nb: c\n---\nbody\n',
  'a longer fence inside': '---\ntitle: a\n----\n---\nbody\n',
  'a text after the closing fence': '---\ntitle: a\n--- no\n---\nbody\n',
  'a leading blank line': '\n---\ntitle: a\n---\nbody\n',
  'a byte-order mark': '\uFEFF---\ntitle: a\n---\nbody\n',
  'an empty file': '',
  // Found by the review of this change: micromark ends lines at \r alone, never at U+2028 or U+2029, and reads NUL as U+FFFD.
  'a lone carriage return after the opening fence': '---\r---\rbody',
  'a lone carriage return before the closing fence': '---\na\r---\n',
  'a lone carriage return inside': '---\na\rb\n---\n',
  'a line separator before a dash line': '---\ntitle: a\nnote: x\u2028---\ndraft: true\n---\n\nbody\n',
  'a paragraph separator': '---\n\u2029---\n---\n',
  'a NUL inside': '---\n\0\n---\n',
};

/** A small deterministic random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces the random texts are made of: fences and near-fences, every line ending and the characters around them. */
const PIECES = ['---', '----', ' ---', '--', '---  ', '---\t', '\n', '\r\n', '\r', '\u2028', '\u2029', '\0', '\t', ' ', 'a', 'title: ع', '\uFEFF', '#', '- x', '"'];

describe('frontMatterTree', () => {
  for (const [name, text] of Object.entries(SHAPES)) {
    it(`gives remark's yaml node, value and place, for: ${name}`, () => {
      expect(frontMatterTree(text).children).toEqual(byRemark(text));
    });
  }

  it('gives remark’s yaml node for 5,000 random texts of fences, line endings and the characters around them', () => {
    const next = random(12);
    for (let round = 0; round < 5000; round += 1) {
      const pieces = Array.from({ length: 2 + Math.floor(next() * 14) }, () => PIECES[Math.floor(next() * PIECES.length)]!);
      // Most texts start with an opening fence, or nothing interesting happens.
      const text = (next() < 0.8 ? '---\n' : '') + pieces.join('');
      expect(frontMatterTree(text).children, JSON.stringify(text)).toEqual(byRemark(text));
    }
  });

  it('gives remark’s yaml node for every post of the sample site and the fixtures', () => {
    const posts = [join(REPO, 'posts'), ...readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('posts')).map((path) => join(FIXTURES, path))].flatMap((folder) =>
      readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.md'))
        .map((name) => join(folder, name)),
    );
    expect(posts.length).toBeGreaterThan(30);
    for (const path of posts) {
      const text = readFileSync(path, 'utf8');
      expect(frontMatterTree(text).children, path).toEqual(byRemark(text));
    }
  });

  it('reports a front matter problem at the same place as the whole parse', () => {
    const text = '---\ntitle: a\ndate: not a date\nslug: "../x"\n---\nbody\n';
    const fast = new VFile({ path: 'post.md', value: text });
    const whole = new VFile({ path: 'post.md', value: text });
    readFrontMatter(frontMatterTree(text), fast);
    readFrontMatter(parseMarkdown(whole), whole);
    expect(fast.messages.map(String)).toEqual(whole.messages.map(String));
    expect(fast.messages.length).toBeGreaterThan(0);
  });
});

describe('loadPostHeads', () => {
  it('finds every post with the slug and front matter a build gives it, drafts included', async () => {
    const root = await makeSite({
      'posts/2025-01-02-first.md': '---\ntitle: "الأول"\ndate: 2025-01-02\ntags: [أ]\n---\n\nنص.\n',
      'posts/2025-01-03-second.md': '---\ntitle: "الثاني"\ndate: 2025-01-03 10:30\nslug: chosen\ndraft: true\n---\n\nنص.\n',
      'posts/2025-01-04-third.md': '---\ntitle: "الثالث"\ndate: 2025-01-04\nnewsletter: false\n---\n\nنص.\n',
      'posts/broken.md': '---\ntitle: [unclosed\n---\n\nنص.\n',
    });
    const heads = await loadPostHeads(root);
    const processorFor = processorCache(CONFIG);
    const posts = await Promise.all(heads.map(async (head) => loadPost(await readPostFile(head.file.path, root), { config: CONFIG, processorFor, postsDir: join(root, 'posts') })));
    expect(heads.map((head) => head.slug)).toEqual(['first', 'chosen', 'third']);
    heads.forEach((head, index) => {
      expect(head.slug).toBe(posts[index]!.slug);
      expect(head.meta).toEqual(posts[index]!.meta);
    });
  });

  it('lets send refuse a draft whose front matter hides a fence behind a line separator (the review of this change)', async () => {
    const root = await makeSite({ 'posts/2025-01-06-hidden.md': '---\ntitle: "Hidden"\ndate: 2025-01-06\ndescription: x\u2028---\ndraft: true\n---\n\nbody\n' });
    await expect(checkSendable(root, CONFIG, 'hidden', { refuseFuture: true })).rejects.toThrow('"hidden" is a draft');
  });
});
