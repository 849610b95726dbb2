import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { makeSite } from '../helpers/site.js';

const POST = `---
title: "عناوين"
date: 2025-01-01
---

# content

## خلفية المحادثات

انظر [الخلفية](#خلفية-المحادثات) و[المحتوى](#content) وحاشية[^1] و[الحاشية مباشرة](#user-content-fn-1).

<img src="https://images.example.net/a.png" alt="صورة" name="getElementById">
<a id="main" name="forms">مرساة</a> <a href="#main">إلى المرساة</a>
<p id="user-content-kept">لا يتكرر البادئة</p> <a href="#user-content-kept">هنا</a>

## content

[^1]: حاشية.
`;

/** Every value of an attribute in the HTML. */
const values = (html: string, attribute: string) => [...html.matchAll(new RegExp(` ${attribute}="([^"]*)"`, 'g'))].map((match) => match[1]!);

describe('issue 9: a post cannot clobber the page ids or DOM names', () => {
  it('prefixes every id and name from the post once, and in-post links still land', async () => {
    const root = await makeSite({ 'posts/a.md': POST });
    const result = await build({ root, write: false });
    const html = String(result.files.get('blog/a/index.html'));
    const body = String(/<div class="[^"]*post-body[^"]*"[^>]*>([\s\S]*)/.exec(html)?.[1] ?? html);
    expect(values(html, 'id').filter((id) => id === 'content').length).toBeLessThanOrEqual(1);
    expect(values(body, 'id')).toEqual(
      expect.arrayContaining(['user-content-content', 'user-content-خلفية-المحادثات', 'user-content-content-1', 'user-content-main', 'user-content-kept', 'user-content-fn-1', 'user-content-fnref-1', 'user-content-footnote-label']),
    );
    expect(values(body, 'name')).toEqual(expect.arrayContaining(['user-content-getElementById', 'user-content-forms']));
    for (const id of values(body, 'id')) expect(id).not.toMatch(/user-content-user-content-/);
    expect(values(body, 'href')).toEqual(
      expect.arrayContaining([
        `#user-content-${encodeURIComponent('خلفية-المحادثات').replace(/%2D/g, '-')}`,
        '#user-content-content',
        '#user-content-fn-1',
        '#user-content-main',
        '#user-content-kept',
      ]),
    );
    // The build's own link check resolves every #fragment against the ids of the page.
    expect(result.warnings.filter((message) => message.ruleId === 'broken-link').map(String)).toEqual([]);
  });
});
