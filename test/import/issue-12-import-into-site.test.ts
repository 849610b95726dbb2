import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { importSubstack } from '../../src/import/substack-import.js';
import { importWordPress } from '../../src/import/wordpress-import.js';
import { makeSite } from '../helpers/site.js';

const SITE = 'https://tajaribna.example.com';
/** `/2025/01/01/الميناء/`, percent-encoded as WordPress writes Arabic permalinks. */
const HARBOUR_PATH = `/2025/01/01/${encodeURIComponent('الميناء').toLowerCase()}/`;

function item(fields: { id: number; title: string; slug: string; link: string; status?: string; type?: string; html: string }): string {
  return `<item>
  <title><![CDATA[${fields.title}]]></title>
  <link>${fields.link}</link>
  <guid isPermaLink="false">${SITE}/?p=${fields.id}</guid>
  <content:encoded><![CDATA[${fields.html}]]></content:encoded>
  <wp:post_id>${fields.id}</wp:post_id>
  <wp:post_date_gmt><![CDATA[2025-01-0${fields.id % 9} 08:00:00]]></wp:post_date_gmt>
  <wp:post_name><![CDATA[${encodeURIComponent(fields.slug)}]]></wp:post_name>
  <wp:status><![CDATA[${fields.status ?? 'publish'}]]></wp:status>
  <wp:post_type><![CDATA[${fields.type ?? 'post'}]]></wp:post_type>
</item>`;
}

/** Five entries linking to each other every way a WordPress post does. */
const WXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel>
<title>تجاربنا</title>
<wp:base_blog_url>${SITE}</wp:base_blog_url>
${item({
  id: 1,
  title: 'الميناء',
  slug: 'الميناء',
  link: `${SITE}${HARBOUR_PATH}`,
  html: `<p>انظر <a href="http://www.tajaribna.example.com/?p=2">السوق</a> و<a href="/about/">من نحن</a> و<a href="${SITE}/?p=3">مسودة</a> و<a href="https://en.wikipedia.org/wiki/Harbour">ويكيبيديا</a>.</p>`,
})}
${item({
  id: 2,
  title: 'السوق',
  slug: 'souq',
  link: `${SITE}/2025/01/02/souq/`,
  html: `<p>عودة إلى <a href="${SITE}/2025/01/01/الميناء#boats">الميناء</a> وإلى <a href="${SITE.toUpperCase().replace('HTTPS', 'https')}${HARBOUR_PATH.toUpperCase()}">الميناء مرة أخرى</a>.</p>`,
})}
${item({ id: 3, title: 'مسودة', slug: 'draft', link: `${SITE}/?p=3`, status: 'draft', html: '<p>لم تنشر.</p>' })}
${item({ id: 4, title: 'من نحن', slug: 'about', link: `${SITE}/about/`, type: 'page', html: `<p>نكتب منذ زمن؛ أول ما كتبنا <a href="${SITE}${HARBOUR_PATH}">الميناء</a>.</p>` })}
</channel>
</rss>`;

describe('issue 12: links between imported posts lead to their new pages', () => {
  it('rewrites permalinks, ?p= links, relative links and other spellings; drafts and other sites keep their address; the build finds no broken link', async () => {
    const root = await makeSite({});
    const exportFile = join(root, 'export.xml');
    await writeFile(exportFile, WXR);
    await importWordPress(exportFile, { root, dryRun: false });

    const harbour = await readFile(join(root, 'posts', '2025-01-01-الميناء.md'), 'utf8');
    expect(harbour).toContain('[السوق](../souq/)');
    expect(harbour).toContain('[من نحن](../about/)');
    expect(harbour).toContain(`[مسودة](${SITE}/?p=3)`);
    expect(harbour).toContain('[ويكيبيديا](https://en.wikipedia.org/wiki/Harbour)');
    const souq = await readFile(join(root, 'posts', '2025-01-02-souq.md'), 'utf8');
    const harbourLink = `../${encodeURIComponent('الميناء')}/`;
    expect(souq).toContain(`[الميناء](${harbourLink})`);
    expect(souq).toContain(`[الميناء مرة أخرى](${harbourLink})`);
    expect(await readFile(join(root, 'pages', 'about.md'), 'utf8')).toContain(`[الميناء](${harbourLink})`);

    const built = await build({ root, strict: true });
    expect(built.warnings.map(String)).toEqual([]);
    const page = await readFile(join(root, 'dist', 'blog', 'souq', 'index.html'), 'utf8');
    expect(page).toContain(`href="${harbourLink}"`);
  });
});

describe('issue 12: an import never takes a slug the site already uses', () => {
  it('gives the entry the next free slug, says why, follows it in links, and a second run writes nothing', async () => {
    const root = await makeSite({
      'posts/2024-03-01-souq.md': '---\ntitle: سوقنا\ndate: 2024-03-01\n---\n\nتدوينة قديمة في الموقع.\n',
      'pages/team.md': '---\ntitle: الفريق\nslug: about\n---\n\nصفحة موجودة.\n',
    });
    const exportFile = join(root, 'export.xml');
    await writeFile(exportFile, WXR);
    const first = await importWordPress(exportFile, { root, dryRun: false });
    expect(first.plan.warnings.map((warning) => warning.reason)).toEqual(
      expect.arrayContaining(['slug "souq" is taken by posts/2024-03-01-souq.md in the site; imported as "souq-2"', 'slug "about" is taken by pages/team.md in the site; imported as "about-2"']),
    );
    expect(await readFile(join(root, 'posts', '2025-01-01-الميناء.md'), 'utf8')).toContain('[السوق](../souq-2/)');
    expect(await readFile(join(root, 'posts', '2025-01-02-souq-2.md'), 'utf8')).toContain('title: السوق');
    expect(await readFile(join(root, 'posts', '2024-03-01-souq.md'), 'utf8')).toContain('سوقنا');

    const built = await build({ root, strict: true });
    expect(built.warnings.map(String)).toEqual([]);
    expect(built.posts.map((post) => post.slug).sort()).toEqual(['souq', 'souq-2', 'الميناء']);

    const second = await importWordPress(exportFile, { root, dryRun: false });
    expect(second.files.filter((file) => file.outcome !== 'unchanged')).toEqual([]);
  });
});

describe('issue 12: links between Substack posts lead to their new pages', () => {
  it('knows each post by https://<publication>.substack.com/p/<slug>, the publication named by the email list', async () => {
    const root = await makeSite({});
    const folder = join(root, 'substack-export');
    await mkdir(join(folder, 'posts'), { recursive: true });
    await writeFile(join(folder, 'posts.csv'), 'post_id,post_date,is_published,title\n1.first-letter,2024-03-05T14:00:00.000Z,true,الرسالة الأولى\n2.second-letter,2024-03-12T14:00:00.000Z,true,الرسالة الثانية\n');
    await writeFile(join(folder, 'posts', '1.first-letter.html'), '<p>مرحبا بكم.</p>');
    await writeFile(join(folder, 'posts', '2.second-letter.html'), '<p>تابعوا <a href="https://tajaribna.substack.com/p/first-letter?utm_source=x">الرسالة الأولى</a> و<a href="https://other.substack.com/p/first-letter">رسالة غيرنا</a>.</p>');
    await writeFile(join(folder, 'email_list.tajaribna.csv'), 'email,active_subscription,created_at\n');
    const { plan } = await importSubstack(folder, { root, dryRun: false });
    const second = plan.files.find((file) => file.path === 'posts/2024-03-12-second-letter.md');
    expect(second?.content).toContain('[الرسالة الأولى](../first-letter/)');
    expect(second?.content).toContain('[رسالة غيرنا](https://other.substack.com/p/first-letter)');
    const built = await build({ root, strict: true });
    expect(built.warnings.map(String)).toEqual([]);
  });
});
