import { readdir, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { build } from '../../src/pipeline/build.js';
import { checkedReferences } from '../../src/pipeline/check-links.js';
import { pageReferences, parsed, scan } from '../../src/pipeline/page-references.js';
import { copyFixture, CONFIG_JSON, FIXTURES, makeSite, REPO } from '../helpers/site.js';

const post = (title: string, body: string) => `---\ntitle: ${JSON.stringify(title)}\ndate: 2025-01-01\ntags: ["<a href=x>", "&amp;"]\n---\n\n${body}\n`;

/** Pages hand-written to trip a quick tag scan; each must read as parse5 reads it. */
const HOSTILE_PAGES = [
  '<!doctype html><html><head><title><a href="/in-title">x</a></title></head><body><a href="/a" id=one>x</a></body></html>',
  '<!-- <a href="/commented"> --><a href="/real">x</a><!----><a href="/after-empty">y</a>',
  '<script>document.write("<a href=\'/in-script\'>")</script><a href="/b">b</a><style>a[href="/x"]{}</style>',
  '<A HREF="/upper" ID="Up">x</A><a href="/first" href="/second">dup</a>',
  '<a href=/unquoted id=u>x</a><a href=\'/single\'>y</a><a href = "/spaced" >z</a>',
  '<a href="/q?a=1&amp;b=2&copy=3&notit;&lt">e</a><img src="/i&#x2F;j.png" alt=""><a name="&#1576;">n</a>',
  '<svg><a href="/svg-link"><text>t</text></a></svg><a href="/after-svg">x</a>',
  '<template><a href="/in-template" id="t">x</a></template><a href="#t">y</a>',
  '<p>line\r\nbreak</p>\r\n<a href="/crlf">x</a>',
  '<a href="/ok">x</a><!-- unclosed <a href="/nope">',
  '<a href="/x"title="y">z</a><a/href="/slash">w</a><image src="/image-is-img.png">',
  '</a title=">"><a href="/after-end-tag">x</a><p>a < b and <3 <a href="/lt">c</a></p>',
  '<textarea><a href="/in-textarea"></textarea><noscript><a href="/in-noscript"></a></noscript><iframe src="/frame"><a href="/in-iframe"></iframe>',
  '<video src="/v.mp4" poster="/p.jpg"></video><audio src=""></audio><source src="/s.webm"><link href="/l.css" rel="stylesheet">',
  '\uFEFF<a href="/bom">x</a>',
  '<p>عربي 😀 نص</p>\n  <a href="/astral">😀</a>\n<div id="">e</div>',
];

describe('issue 13: the link check reads ids and references without parsing every page again', () => {
  const pages: Array<{ name: string; html: string }> = [];

  beforeAll(async () => {
    const hostile = await makeSite({
      'sahifa.config.json': CONFIG_JSON,
      'posts/links.md': post('روابط "<a href=/t>"', '[a](/nowhere/) [b](#missing) [c](../x?a=1&b=2#id) <a href="/raw" id="r">raw</a>\n\n<!-- <a href="/c"> -->\n\n`<a href="/code">`\n\n```html\n<script><a href="/s"></script>\n```'),
    });
    for (const fixture of await readdir(join(FIXTURES, 'markdown'))) {
      await cp(join(FIXTURES, 'markdown', fixture, 'input.md'), join(hostile, 'posts', `${fixture}.md`));
    }
    for (const root of [REPO, await copyFixture('site-three-posts'), await copyFixture('email-site'), hostile]) {
      const { files } = await build({ root, write: false });
      for (const [name, content] of files) if (name.startsWith('blog/') && name.endsWith('.html')) pages.push({ name, html: String(content) });
    }
  });

  it('reads every page the default theme writes with the quick scan, exactly as the HTML parser reads it', () => {
    expect(pages.length).toBeGreaterThan(20);
    for (const { name, html } of pages) {
      const quick = scan(html);
      expect(quick, `${name} fell back to the parser`).toBeDefined();
      expect(quick, name).toEqual(parsed(html));
    }
  });

  it('reads hand-written pages meant to trip a tag scan as the parser does, or leaves them to it', () => {
    for (const html of HOSTILE_PAGES) expect(pageReferences(html), html).toEqual(parsed(html));
  });

  it('leaves foreign content, templates, carriage returns and unclosed comments to the parser', () => {
    for (const html of [HOSTILE_PAGES[6], HOSTILE_PAGES[7], HOSTILE_PAGES[8], HOSTILE_PAGES[9], HOSTILE_PAGES[14]]) expect(scan(html ?? ''), html).toBeUndefined();
  });
});

describe('issue 13: a build keeps only the references the link check looks at', () => {
  it('drops valid addresses on other sites and keeps relative, own and invalid ones', () => {
    const config = parseConfig(CONFIG_JSON, 'sahifa.config.json');
    const page = pageReferences(
      '<a href="https://x.com/intent/post?text=1">share</a><a href="mailto:a@example.com">mail</a><a href="https://example.org/other/">own</a>' +
        '<a href="../b/">relative</a><a href="#top">here</a><a href="http://[::1">broken</a><img src="https://cdn.example.net/i.png" alt=""><p id="top"></p>',
    );
    const kept = checkedReferences('a/index.html', page, config);
    expect(kept.links.map((link) => link.value)).toEqual(['https://example.org/other/', '../b/', '#top', 'http://[::1']);
    expect(kept.ids).toEqual(new Set(['top']));
  });
});
