import { describe, expect, it } from 'vitest';
import { sharedResolution } from '../../src/pipeline/check-links.js';
import { pageUrl } from '../../src/render/site/sitemap.js';

/** Pages at every depth the blog has, with names that need escaping. */
const PAGES = ['index.html', '404.html', 'post-1/index.html', 'مقالة/index.html', 'tags/روسيا/index.html', 'tags/x/page/2/index.html', 'page/3/index.html'];

/** References as posts and templates write them, hostile ones included. */
const TAILS = [
  '',
  'assets/style.css',
  'tags/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7/',
  'post-1/#fn-1',
  '?q=1',
  '#top',
  'a/../b/',
  'a/./b',
  'a/%2e%2e/b',
  'a/%2E/b',
  '..',
  '.',
  'a\\b',
  'a b',
  'a\tb',
  '/absolute/path',
  '//other.example/x',
  'javascript:alert(1)',
  'mailto:x@example.org',
  'C:/x',
  'https:foo',
  'https://example.org/sub/post-1/',
  'https://other.example/',
  'HTTPS://EXAMPLE.ORG/sub/',
  ' https://example.org/sub/',
  'ftp://x/../y',
];

describe('issue 13: the link check resolves a reference once when every page resolves it alike', () => {
  it('gives two references one key only when they resolve to the same address', () => {
    for (const site of ['https://example.org/', 'https://example.org/sub/', 'http://127.0.0.1:8080/a/b/']) {
      const byKey = new Map<string, { href: string; where: string }>();
      let shared = 0;
      for (const path of PAGES) {
        const depth = path.split('/').length - 1;
        const base = pageUrl(path, { url: site });
        for (const tail of TAILS) {
          for (const climb of ['', '../', '../../', '../../../', '../../../../', '../../../../../']) {
            const reference = `${climb}${tail}`;
            const key = sharedResolution(reference, depth);
            if (key === undefined) continue;
            let href: string;
            try {
              href = new URL(reference, base).href;
            } catch {
              href = 'invalid';
            }
            const seen = byKey.get(key);
            if (seen) {
              shared += 1;
              expect(href, `${reference} on ${path} (${site}) and ${seen.where}`).toBe(seen.href);
            } else byKey.set(key, { href, where: `${reference} on ${path}` });
          }
        }
      }
      // The common references do share: a stylesheet, the home page and tags from every depth.
      expect(shared).toBeGreaterThan(PAGES.length * 5);
      expect(sharedResolution('../assets/style.css', 1)).toBe(sharedResolution('../../../assets/style.css', 3));
    }
  });
});
