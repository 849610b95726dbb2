import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { findAll, parseHtml } from '../helpers/html.js';
import { makeSite } from '../helpers/site.js';

describe('issue 10: a footnote reference is isolated in its block\'s direction (page and email)', () => {
  it('writes <sup dir> with the direction of the block each reference is in, leaving the shared tree alone', async () => {
    const root = await makeSite({
      'sahifa.config.json': JSON.stringify({ title: 'موقع', url: 'https://example.org/', lang: 'ar', subscribe: { action: 'https://example.org/s' }, email: { address: 'ص.ب. 1' } }),
      'posts/p.md': '---\ntitle: "ت"\ndate: 2025-01-01\n---\n\nفي عام 2015[^1] قال RT[^2].\n\nThe year 2015[^3] in English.\n\n- بند 7[^4]\n\n[^1]: أ.\n[^2]: ب.\n[^3]: c.\n[^4]: د.\n',
    });
    const result = await build({ root, write: false });
    const refDirs = (html: string) =>
      findAll(parseHtml(html), (node) => node.tagName === 'sup' && findAll(node, (a) => a.tagName === 'a' && String(a.properties.href).includes('fn-')).length > 0).map((sup) => sup.properties.dir);
    expect(refDirs(String(result.files.get('blog/p/index.html')))).toEqual(['rtl', 'rtl', 'ltr', 'rtl']);
    expect(refDirs(result.emails.get('p')!.html)).toEqual(['rtl', 'rtl', 'ltr', 'rtl']);
    const shared = findAll({ type: 'root', children: result.posts[0]!.tree!.children }, (node) => node.tagName === 'sup');
    expect(shared.map((sup) => sup.properties.dir)).toEqual([undefined, undefined, undefined, undefined]);
    expect(result.emails.get('p')!.text).toContain('في عام 2015[1] قال RT[2].');
  });
});

describe('issue 10: a footnote reference does not join the number before it in summaries', () => {
  it('leaves the reference out of the summary, which the meta description, the feeds and the email preheader use', async () => {
    const root = await makeSite({ 'posts/p.md': '---\ntitle: "ت"\ndate: 2025-01-01\n---\n\nفي عام 2015[^1] قال RT[^2].\n\n[^1]: أ.\n[^2]: ب.\n' });
    const result = await build({ root, write: false });
    expect(result.posts[0]!.summary).toBe('في عام 2015 قال RT.');
    expect(String(result.files.get('blog/p/index.html'))).toContain('<meta name="description" content="في عام 2015 قال RT." data-pagefind-meta="summary[content]">');
    expect(String(result.files.get('blog/feed.json'))).not.toContain('20151');
  });
});
