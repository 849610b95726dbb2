import { describe, expect, it } from 'vitest';
import { slugFromFileName, slugProblem, suggestSlug } from '../../src/content/slug.js';

describe('slugs', () => {
  it('come from the file name without the date', () => {
    expect(slugFromFileName('2025-02-28-russia-us-talks.md')).toBe('russia-us-talks');
    expect(slugFromFileName('Hello World!.md')).toBe('hello-world');
    expect(slugFromFileName('2025-02-28-محادثات-إسطنبول.md')).toBe('محادثات-إسطنبول');
  });

  it('refuse anything that could leave its folder or clash with the site', () => {
    for (const bad of ['../x', 'a/b', 'a\\b', '..', '.hidden', 'a b', 'a..b', '', 'x'.repeat(81), 'assets', 'a\u0000b', '-a']) {
      expect(slugProblem(bad), JSON.stringify(bad)).toBeDefined();
    }
    for (const good of ['talks', 'russia-us', 'محادثات-إسطنبول', 'post_2', 'שיחות']) expect(slugProblem(good)).toBeUndefined();
  });

  it('suggest a safe slug for an unsafe one', () => {
    expect(suggestSlug('../../etc/passwd')).toBe('etc-passwd');
    expect(suggestSlug('///')).toBe('my-post');
  });
});
