import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { importWordPress } from '../../src/import/wordpress-import.js';
import { sahifa } from '../helpers/cli.js';
import { makeSite, snapshot } from '../helpers/site.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** A WXR item with the given fields. */
function item(fields: { id: number; name: string; title?: string; content: string; type?: string; status?: string; date?: string }): string {
  return `<item><title><![CDATA[${fields.title ?? 'Title'}]]></title><content:encoded><![CDATA[${fields.content}]]></content:encoded>
<wp:post_id>${fields.id}</wp:post_id><wp:post_date_gmt><![CDATA[${fields.date ?? '2025-01-01 10:00:00'}]]></wp:post_date_gmt>
<wp:post_name><![CDATA[${fields.name}]]></wp:post_name><wp:status><![CDATA[${fields.status ?? 'publish'}]]></wp:status><wp:post_type><![CDATA[${fields.type ?? 'post'}]]></wp:post_type></item>`;
}

function wxr(items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>x</title><wp:base_blog_url>https://old.example.com</wp:base_blog_url>
${items.join('\n')}
</channel></rss>`;
}

describe('issue 12: hostile WordPress exports', () => {
  it('keeps every slug inside its folder, unique and safe', async () => {
    const root = await makeSite({});
    const file = join(root, 'export.xml');
    await writeFile(
      file,
      wxr([
        item({ id: 1, name: '..%2F..%2F..%2Fescaped', content: '<p>one</p>' }),
        item({ id: 2, name: '/etc/passwd', content: '<p>two</p>' }),
        item({ id: 3, name: 'assets', title: 'Assets of the week', content: '<p>three</p>' }),
        item({ id: 4, name: 'same', content: '<p>four</p>' }),
        item({ id: 5, name: 'same', content: '<p>five</p>' }),
        item({ id: 6, name: '%E0%A4%A', title: 'Broken percent', content: '<p>six</p>' }),
        item({ id: 7, name: '..', type: 'page', title: '..', content: '<p>seven</p>' }),
        item({ id: 10, name: 'same', type: 'page', content: '<p>ten</p>' }),
        item({ id: 8, name: 'no-date', date: 'yesterday', content: '<p>eight</p>' }),
        item({ id: 9, name: 'empty', content: '<!-- wp:paragraph --><p> </p><!-- /wp:paragraph -->' }),
      ]),
    );
    const result = await importWordPress(file, { root, dryRun: false });
    const paths = result.files.map((written) => written.path).sort();
    expect(paths).toEqual([
      'pages/same-3.md',
      'pages/untitled.md',
      'posts/2025-01-01-assets-of-the-week.md',
      'posts/2025-01-01-e0a4a.md',
      'posts/2025-01-01-escaped.md',
      'posts/2025-01-01-etc-passwd.md',
      'posts/2025-01-01-same-2.md',
      'posts/2025-01-01-same.md',
    ]);
    expect(Object.keys(await snapshot(root)).sort()).toEqual(['export.xml', 'sahifa.config.json', ...paths].sort());
    expect(result.plan.warnings.map((warning) => warning.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^slug "\.\.\/\.\.\/\.\.\/escaped" cannot be used/),
        expect.stringMatching(/^slug "assets" cannot be used .*imported as "assets-of-the-week"/),
        '"Title" has no usable date (""); not imported',
        '"Title" has no text; not imported',
      ]),
    );
    expect(result.plan.warnings[0]?.place).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:\\d+$`));
    expect(result.plan.counts.notImported).toEqual({ comment: 0, attachment: 0, 'unreadable entry': 2 });
    await build({ root, strict: true, write: true });
  });

  it('reports shortcodes it cannot convert, and turns [caption] with a caption attribute into a caption', async () => {
    const root = await makeSite({});
    const file = join(root, 'export.xml');
    const content = '<p>Before <a href="/2024/05/old-post/">an old post</a> <a href="#notes">notes</a></p>\n[gallery ids="1,2,3"]\n[caption id="a" caption="Old style caption"]<img src="/wp-content/uploads/x.png" alt="x">[/caption]\n[embed]https://www.youtube.com/watch?v=x[/embed] [gallery]';
    await writeFile(file, wxr([item({ id: 1, name: 'codes', title: 'Codes', content })]));
    const result = await importWordPress(file, { root, dryRun: false });
    expect(result.plan.warnings.map((warning) => warning.reason)).toEqual([
      'shortcode [gallery] has no Markdown form and stays as text in "Codes": replace it by hand',
      'shortcode [embed] has no Markdown form and stays as text in "Codes": replace it by hand',
    ]);
    const markdown = await readFile(join(root, 'posts', '2025-01-01-codes.md'), 'utf8');
    expect(markdown).toContain('![x](https://old.example.com/wp-content/uploads/x.png)\n\n*Old style caption*');
    expect(markdown).toContain('Before [an old post](https://old.example.com/2024/05/old-post/) [notes](#notes)');
  });

  it('drops scripts, handlers, frames and unsafe links from the content', async () => {
    const root = await makeSite({});
    const file = join(root, 'export.xml');
    const content = `<p>Safe <a href="javascript:alert(1)">click</a> <a href=" JaVaScRiPt:alert(2)">two</a> <a href="data:text/html,x">three</a> <a href="https://ok.example/">ok</a></p>
<script>alert('s')</script><style>p{}</style><iframe src="https://evil.example/"></iframe>
<p><img src="x.png" onerror="alert(3)" alt="pic"><img src="javascript:alert(4)" alt="bad"><img src="data:image/png;base64,AAAA" alt="data"></p>
<p>&lt;script&gt;alert(5)&lt;/script&gt; [link](javascript:alert(6)) <b onclick="alert(7)">bold</b></p>
<form action="https://evil.example/"><input name="q"><button>Go</button></form>
<svg><script>alert(8)</script></svg>`;
    await writeFile(file, wxr([item({ id: 1, name: 'hostile', content })]));
    await importWordPress(file, { root, dryRun: false });
    const markdown = await readFile(join(root, 'posts', '2025-01-01-hostile.md'), 'utf8');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt', 'data:', 'onerror', 'onclick', 'iframe', 'evil', 'alert(1)', 'alert(3)', 'alert(8)', '<b', 'Go']) expect(markdown, bad).not.toContain(bad);
    expect(markdown).toContain('Safe click two three [ok](https://ok.example/)');
    expect(markdown).toContain('![pic](https://old.example.com/x.png)');
    expect(markdown).not.toMatch(/(?:^|[^\\])<\/?script/);
    // Text that looks like HTML or Markdown stays text.
    expect(markdown).toContain('\\<script>alert(5)\\</script> \\[link]\\(javascript:alert(6)) **bold**');
    const built = await build({ root, strict: true, write: true });
    const page = await readFile(join(built.outDir, 'blog', 'hostile', 'index.html'), 'utf8');
    expect(page).not.toMatch(/<script>alert|="\s*javascript:|onerror|<iframe/i);
  });

  it('copies only files inside --media, never through a link out of it or a path that climbs', async () => {
    const root = await makeSite({ 'secret.png': PNG.toString('latin1'), 'uploads/2025/01/ok.png': PNG.toString('latin1') });
    const uploads = join(root, 'uploads');
    await symlink(join(root, 'secret.png'), join(uploads, '2025', '01', 'link.png'));
    await mkdir(join(uploads, '2025', '02'));
    await symlink(root, join(uploads, '2025', '02', 'up'));
    const base = 'https://old.example.com/wp-content/uploads';
    const content = [
      `${base}/2025/01/ok.png`,
      `${base}/2025/01/link.png`,
      `${base}/..%2F..%2Fsecret.png`,
      `${base}/%2e%2e/%2e%2e/secret.png`,
      `${base}/2025/02/up/secret.png`,
      `${base}/2025/01/.hidden.png`,
      `${base}/2025/01/missing.png`,
      '/wp-content/uploads/2025/01/ok.png',
    ]
      .map((src, index) => `<p><img src="${src}" alt="${index}"></p>`)
      .join('\n');
    const file = join(root, 'export.xml');
    await writeFile(file, wxr([item({ id: 1, name: 'images', content })]));
    const result = await importWordPress(file, { root, dryRun: false, media: uploads });
    expect(result.files.map((written) => written.path)).toEqual(['posts/2025-01-01-images.md', 'posts/uploads/2025/01/ok.png']);
    const markdown = await readFile(join(root, 'posts', '2025-01-01-images.md'), 'utf8');
    expect(markdown).toContain('![0](uploads/2025/01/ok.png)');
    expect(markdown).toContain('![7](uploads/2025/01/ok.png)');
    expect(markdown).toContain(`![1](${base}/2025/01/link.png)`);
    expect(markdown).toContain(`![2](${base}/..%2F..%2Fsecret.png)`);
    expect(markdown).toContain('![3](https://old.example.com/secret.png)');
    expect(result.plan.remoteImages).toHaveLength(6);
    expect(result.plan.warnings.map((warning) => warning.reason)).toEqual([
      `image ${base}/2025/01/link.png is not in --media (no such file there); left at its address`,
      `image ${base}/..%2F..%2Fsecret.png is not in --media (its path is unsafe); left at its address`,
      `image ${base}/2025/02/up/secret.png is not in --media (no such file there); left at its address`,
      `image ${base}/2025/01/.hidden.png is not in --media (its path is unsafe); left at its address`,
      `image ${base}/2025/01/missing.png is not in --media (no such file there); left at its address`,
    ]);
  });

  it('prints untrusted titles inert, and refuses a DOCTYPE with an external entity on one line', async () => {
    const root = await makeSite({});
    const file = join(root, 'export.xml');
    await writeFile(file, wxr([item({ id: 1, name: 'x/y', title: 'Evil \u001b]0;owned\u0007 \u001b[31mred', content: '<p>text</p>' })]));
    const run = await sahifa(['import', 'wordpress', file, '--root', root]);
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).toContain('slug "x/y" cannot be used');
    expect(await readFile(join(root, 'posts', '2025-01-01-x-y.md'), 'utf8')).toContain('title: Evil ]0;owned [31mred\n');
    const xxe = join(root, 'xxe.xml');
    await writeFile(xxe, `<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<rss><channel><item><title>&xxe;</title></item></channel></rss>`);
    const refused = await sahifa(['import', 'wordpress', xxe, '--root', root]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`error: ${xxe}:2:1: cannot read this XML: External entities are not supported; a WordPress export has no DOCTYPE — export it again\n`);
  });
});
