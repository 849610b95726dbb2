import type { Root } from 'hast';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { outlineHeadings } from '../../src/render/heading-outline.js';
import { findAll, htmlProblems, parseHtml } from '../helpers/html.js';
import { makeSite } from '../helpers/site.js';

/** The heading levels of a document, in order. */
const levels = (html: string) => findAll(parseHtml(html), (node) => /^h[1-6]$/.test(node.tagName)).map((node) => Number(node.tagName[1]));

/** True when an outline starts at h1, has one h1, and never goes down more than one level at a time. */
function wellNested(outline: number[]): boolean {
  return outline[0] === 1 && outline.filter((level) => level === 1).length === 1 && outline.every((level, index) => index === 0 || level <= outline[index - 1]! + 1);
}

const post = (title: string, tags: string, body: string) => `---\ntitle: "${title}"\ndate: 2025-01-0${title.length % 9}\ntags: [${tags}]\n---\n\n${body}\n`;

describe('issue 10: heading levels never skip, on every page type', () => {
  it('nests every page of a site with tags, pagination, footnotes and carelessly numbered headings', async () => {
    const root = await makeSite({
      'sahifa.config.json': JSON.stringify({
        title: 'موقع',
        url: 'https://example.org/',
        lang: 'ar',
        postsPerPage: 1,
        subscribe: { action: 'https://example.org/subscribe' },
        email: { address: 'ص.ب. 1' },
      }),
      'posts/a.md': post('أ', 'سياسة, اقتصاد', '### يبدأ بالثالث\n\nنص.[^1]\n\n##### خامس\n\nنص.\n\n# أول في المتن\n\nنص.\n\n[^1]: حاشية.'),
      'posts/b.md': post('بب', 'سياسة', '## ثاني\n\nنص.\n\n#### رابع\n\nنص.'),
      'posts/c.md': post('ججج', 'اقتصاد', 'بلا عناوين.'),
    });
    const result = await build({ root, write: false, now: new Date('2026-01-01T00:00:00Z') });
    const pages = [...result.files.keys()].filter((path) => path.endsWith('.html') && path.startsWith('blog/'));
    expect(pages).toContain('blog/tags/سياسة/index.html');
    expect(pages).toContain('blog/page/2/index.html');
    for (const path of pages) {
      const html = String(result.files.get(path));
      expect(levels(html), path).toSatisfy(wellNested);
      expect((await htmlProblems(html, path)).filter((problem) => problem.includes('heading-level')), path).toEqual([]);
    }
    expect(levels(String(result.files.get('blog/a/index.html')))).toEqual([1, 2, 3, 2, 3, 2]);
    // One post a page: the tag's two posts are on two pages (issue 13: tags paginate as the home page does).
    expect(pages).toContain('blog/tags/سياسة/page/2/index.html');
    expect(levels(String(result.files.get('blog/tags/سياسة/index.html')))).toEqual([1, 2, 2]);
    expect(levels(String(result.files.get('blog/index.html')))).toEqual([1, 2, 3, 2]);
    for (const [slug, email] of result.emails) expect(levels(email.html), slug).toSatisfy(wellNested);
  });

  it('renumbers a copy, leaving the shared tree as it was', () => {
    const heading = (level: number) => ({ type: 'element' as const, tagName: `h${level}`, properties: {}, children: [] });
    const tree: Root = { type: 'root', children: [heading(3), heading(5), { type: 'element', tagName: 'section', properties: {}, children: [heading(4), heading(1)] }, heading(6)] };
    const before = structuredClone(tree);
    const outline = outlineHeadings(tree);
    expect(levels(toHtmlLike(outline))).toEqual([2, 3, 3, 2, 3]);
    expect(tree).toEqual(before);
  });
});

/** Serialises a small hast tree of empty elements. */
function toHtmlLike(tree: Root): string {
  const walk = (node: Root['children'][number]): string =>
    node.type === 'element' ? `<${node.tagName}>${node.children.map(walk).join('')}</${node.tagName}>` : '';
  return tree.children.map(walk).join('');
}
