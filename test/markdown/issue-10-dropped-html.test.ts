import { toHtml } from 'hast-util-to-html';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { localeFor } from '../../src/config/locales.js';
import { loadPost } from '../../src/content/load-post.js';
import { formatMessage } from '../../src/diagnostics/format.js';
import { createMarkdownProcessor } from '../../src/markdown/processor.js';
import { CONFIG } from '../helpers/site.js';

/** Runs a body through the real processor; returns the body HTML and the messages. */
async function processed(body: string): Promise<{ html: string; messages: string[] }> {
  const file = new VFile({ path: '/site/posts/x.md', value: `---\ntitle: "HTML"\ndate: 2025-01-01\n---\n\n${body}\n` });
  const post = await loadPost(file, {
    config: CONFIG,
    processorFor: (lang, dir) => createMarkdownProcessor({ dir, strings: localeFor(lang), siteUrl: CONFIG.url }),
    postsDir: '/site/posts',
  });
  return { html: post ? toHtml(post.tree) : '', messages: file.messages.map((message) => formatMessage(message, { cwd: '/site' })) };
}

describe('issue 10: raw HTML that is dropped is reported at its place', () => {
  it('elements, attributes and URLs each get a warning', async () => {
    const { messages } = await processed(
      [
        '<figure><img src="https://images.example.net/a.png" alt="صورة"><figcaption>تعليق</figcaption></figure>',
        '',
        '<div class="note" data-id="7" style="color:red">ملاحظة</div>',
        '',
        'نص <custom-box>مخصص</custom-box> و<a href="page:2">صفحة</a> و[رابط](ftp://example.org/f).',
        '',
        '<video src="https://example.org/v.mp4"></video>',
      ].join('\n'),
    );
    expect(messages).toEqual([
      'posts/x.md:6:1: warning raw `<figure>` is not allowed in posts and was removed (its content is kept): use Markdown or an allowed element [html-removed]',
      'posts/x.md:6:64: warning raw `<figcaption>` is not allowed in posts and was removed (its content is kept): use Markdown or an allowed element [html-removed]',
      'posts/x.md:8:1: warning attribute `class` removed from `<div>`: posts may not set it [html-removed]',
      'posts/x.md:8:1: warning attribute `data-id` removed from `<div>`: posts may not set it [html-removed]',
      'posts/x.md:8:1: warning attribute `style` removed from `<div>`: posts may not set it [html-removed]',
      'posts/x.md:10:4: warning raw `<custom-box>` is not allowed in posts and was removed (its content is kept): use Markdown or an allowed element [html-removed]',
      'posts/x.md:10:35: warning `page:2` removed from `<a href>`: the scheme "page:" is not allowed (http, https, mailto…); for a relative path holding ":", write "./page:2" [html-removed]',
      'posts/x.md:10:62: warning `ftp://example.org/f` removed from `<a href>`: the scheme "ftp:" is not allowed (http, https, mailto…) [html-removed]',
      'posts/x.md:12:1: warning raw `<video>` is not allowed in posts and was removed (its content is kept): use Markdown or an allowed element [html-removed]',
      // Issue 14: an image on another site is listed too.
      'posts/x.md:6:9: warning image `https://images.example.net/a.png` is on another site and is left as it is (not resized, no width and height, its metadata kept): download it into posts/assets/ and use its path, e.g. `assets/photo.jpg` [image-remote]',
    ]);
  });

  it('accepts MAILTO: and other schemes in any case, and says nothing about what it keeps', async () => {
    const { html, messages } = await processed('<a href="MAILTO:editor@example.org">راسلنا</a> و<a href="HTTPS://example.org/">الموقع</a>');
    expect(messages).toEqual([]);
    expect(html).toContain('href="mailto:editor@example.org"');
    expect(html).toContain('href="https://example.org/"');
  });

  it('ordinary Markdown (tables, footnotes, task lists, code, images, headings) gives no warning', async () => {
    const { messages } = await processed(
      [
        '## عنوان',
        '',
        '| أ | ب |',
        '| :- | -: |',
        '| 1 | 2 |',
        '',
        '- [x] منجز',
        '- [ ] غير منجز',
        '',
        'نص مع حاشية[^1] و`code` و~~شطب~~ و<https://example.org> و**غامق**.',
        '',
        '```js',
        'const a = 1;',
        '```',
        '',
        '![صورة](https://images.example.net/a.png "عنوان")',
        '',
        '<details><summary>المزيد</summary>تفاصيل <kbd>Ctrl</kbd> <sub>1</sub> <bdi>RT</bdi></details>',
        '',
        '[^1]: الحاشية.',
      ].join('\n'),
    );
    // Only the remote image, which issue 14 lists with a hint to download it.
    expect(messages).toEqual([
      'posts/x.md:21:1: warning image `https://images.example.net/a.png` is on another site and is left as it is (not resized, no width and height, its metadata kept): download it into posts/assets/ and use its path, e.g. `assets/photo.jpg` [image-remote]',
    ]);
  });
});
