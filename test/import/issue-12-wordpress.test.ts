import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import type { Element } from 'hast';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SKIP, visit } from 'unist-util-visit';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { importWordPress } from '../../src/import/wordpress-import.js';
import { sahifa } from '../helpers/cli.js';
import { findAll, parseHtml } from '../helpers/html.js';
import { FIXTURES, makeSite, snapshot } from '../helpers/site.js';

const FIXTURE = join(FIXTURES, 'import-wordpress');
const EXPORT = join(FIXTURE, 'export.xml');
const UPLOADS = join(FIXTURE, 'uploads');

/** Text without any white space, so Markdown's line breaks and list markers do not matter. */
const squeeze = (text: string) => text.replace(/\s+/gu, '');

/** The reader's text of a WXR item's content, without the WordPress.com blocks the import drops. */
function originalText(html: string): string {
  const tree = fromHtml(html.replace(/\[\/?caption[^\]]*\]/g, ''), { fragment: true });
  visit(tree, 'element', (node: Element, index, parent) => {
    const classes = String((node.properties.className as string[] | undefined)?.join(' ') ?? '');
    if (parent && index !== undefined && /sharedaddy|wp-block-jetpack-subscriptions/.test(classes)) {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    return undefined;
  });
  return toText(tree);
}

/** Every published post item of the fixture: slug (decoded) → content HTML. */
async function publishedPosts(): Promise<Map<string, string>> {
  const xml = await readFile(EXPORT, 'utf8');
  const posts = new Map<string, string>();
  for (const [, item] of xml.matchAll(/<item>([\s\S]*?)<\/item>/g)) {
    if (!item!.includes('<wp:post_type><![CDATA[post]]>') || !item!.includes('<wp:status><![CDATA[publish]]>')) continue;
    const slug = decodeURIComponent(/<wp:post_name><!\[CDATA\[(.*?)\]\]>/.exec(item!)![1]!);
    posts.set(slug, /<content:encoded><!\[CDATA\[([\s\S]*?)\]\]><\/content:encoded>/.exec(item!)![1]!);
  }
  return posts;
}

async function importedSite(media = true) {
  const root = await makeSite({ 'posts/.keep': '' });
  const result = await importWordPress(EXPORT, { root, dryRun: false, media: media ? UPLOADS : undefined });
  return { root, result };
}

describe('issue 12: sahifa import wordpress', () => {
  it('imports posts and pages that build, each page holding the text of the original', async () => {
    const { root, result } = await importedSite();
    expect(result.plan.counts).toEqual({ posts: 4, pages: 1, drafts: 2, notImported: { comment: 3, attachment: 2 } });
    expect(result.plan.warnings).toEqual([]);
    expect((await readdir(join(root, 'posts'))).sort()).toEqual([
      '.keep',
      '2024-12-31-harbour-at-dawn.md',
      '2025-02-01-members-only.md',
      '2025-02-28-روسيا-تعلق-على-المحادثات.md',
      '2025-03-01-مسودة-عن-الطيران.md',
      'uploads',
    ]);
    expect(await readdir(join(root, 'pages'))).toEqual(['من-نحن.md']);
    // Pages are built by the `pages/` work on another branch: the build here checks the posts.
    const built = await build({ root, strict: true, drafts: true, write: true });
    // Since issue 14 a remote image and a cover without alt text are warnings; the import keeps them as the export had them.
    expect(built.warnings.filter((message) => message.ruleId !== 'image-remote' && message.ruleId !== 'image-alt').map(String)).toEqual([]);
    for (const [slug, html] of await publishedPosts()) {
      const page = await readFile(join(built.outDir, 'blog', slug, 'index.html'), 'utf8');
      const [main] = findAll(parseHtml(page), (element) => element.tagName === 'main');
      expect(squeeze(toText(main!)), slug).toContain(squeeze(originalText(html)));
    }
  });

  it('writes exactly the Markdown of the fixture\'s expected/ folder', async () => {
    const { root } = await importedSite();
    for (const folder of ['posts', 'pages']) {
      const expected = (await readdir(join(FIXTURE, 'expected', folder))).sort();
      expect((await readdir(join(root, folder))).filter((name) => name.endsWith('.md')).sort()).toEqual(expected);
      for (const name of expected) expect(await readFile(join(root, folder, name), 'utf8'), name).toBe(await readFile(join(FIXTURE, 'expected', folder, name), 'utf8'));
    }
  });

  it('keeps Arabic slugs, UTC dates, tags, excerpt, featured image and status', async () => {
    const { root } = await importedSite();
    const arabic = await readFile(join(root, 'posts', '2025-02-28-روسيا-تعلق-على-المحادثات.md'), 'utf8');
    expect(arabic).toMatch(/^---\ntitle: تعلق روسيا على أحدث المحادثات معنا\ndate: 2025-02-28T07:30:00Z\n/);
    expect(arabic).toContain('description: موسكو وواشنطن تحددان خطوات أولية لاستعادة عمل السفارتين.\n');
    expect(arabic).toContain('tags:\n  - أخبار\n  - روسيا\n');
    expect(arabic).not.toContain('Uncategorized');
    expect(arabic).toContain('image: uploads/2025/02/talks-map.png\n');
    expect(arabic).toContain('![خريطة إسطنبول](uploads/2025/02/talks-map.png)\n\n*مكان المحادثات في إسطنبول*');
    for (const gone of ['مشاركة', 'اكتشاف المزيد', 'اشترك', 'Facebook', '<!--', 'wp:']) expect(arabic).not.toContain(gone);
    // post_date_gmt, not the local post_date of the next day.
    const harbour = await readFile(join(root, 'posts', '2024-12-31-harbour-at-dawn.md'), 'utf8');
    expect(harbour).toContain('title: A harbour at dawn & the old lighthouse\ndate: 2024-12-31T23:30:00Z\n');
    expect(harbour).toContain('![The harbour](uploads/2024/12/harbour.png)\n\n*Boats in the harbour at dawn*');
    expect(harbour).toContain('- the fish market\n- the [lighthouse](https://example.net/lighthouse)\n');
    expect(await readFile(join(root, 'posts', '2025-03-01-مسودة-عن-الطيران.md'), 'utf8')).toContain('draft: true');
    expect(await readFile(join(root, 'posts', '2025-02-01-members-only.md'), 'utf8')).toContain('draft: true');
    const built = await build({ root, strict: true, write: true });
    expect(built.posts.map((post) => [post.slug, post.date.toISOString()])).toEqual([
      ['روسيا-تعلق-على-المحادثات', '2025-02-28T07:30:00.000Z'],
      ['harbour-at-dawn', '2024-12-31T23:30:00.000Z'],
    ]);
    // The images were copied and resolve in the built page.
    const page = await readFile(join(built.outDir, 'blog', 'روسيا-تعلق-على-المحادثات', 'index.html'), 'utf8');
    // Since issue 14 they are published processed, under names with a hash and their width.
    const processed = /src="\.\.\/media\/uploads\/2025\/02\/(talks-map\.[0-9a-f]{8}-\d+\.png)"/.exec(page)?.[1];
    expect(processed).toBeDefined();
    expect((await sharp(await readFile(join(built.outDir, 'blog', 'media', 'uploads', '2025', '02', processed!))).metadata()).format).toBe('png');
  });

  it('without --media leaves images at their addresses and lists them', async () => {
    const root = await makeSite({});
    const run = await sahifa(['import', 'wordpress', EXPORT, '--root', root]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('2 images left at their addresses (give --media UPLOADS_DIR to copy them into the site):\n  https://tajaribna.example.com/wp-content/uploads/2025/02/talks-map.png\n  https://tajaribna.example.com/wp-content/uploads/2024/12/harbour.png\n');
    expect(run.stdout).toContain('4 posts, 1 page, 2 drafts; 3 comments and 2 attachments not imported\n');
    const arabic = await readFile(join(root, 'posts', '2025-02-28-روسيا-تعلق-على-المحادثات.md'), 'utf8');
    expect(arabic).toContain('image: https://tajaribna.example.com/wp-content/uploads/2025/02/talks-map.png\n');
    expect(Object.keys(await snapshot(root)).filter((path) => path.includes('uploads'))).toEqual([]);
  });

  it('--dry-run lists what it would write and writes nothing', async () => {
    const root = await makeSite({});
    const before = await snapshot(root);
    const run = await sahifa(['import', 'wordpress', EXPORT, '--root', root, '--media', UPLOADS, '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('would write posts/2025-02-28-روسيا-تعلق-على-المحادثات.md\n');
    expect(run.stdout).toContain('would write pages/من-نحن.md\n');
    expect(run.stdout).toContain('would write posts/uploads/2025/02/talks-map.png\n');
    expect(run.stdout).toContain('Would write 7 files; 0 already there and unchanged; 0 left as they were (exist and differ); nothing written (dry run)\n');
    expect(await snapshot(root)).toEqual(before);
  });

  it('run twice changes nothing, and never overwrites a file that differs', async () => {
    const { root } = await importedSite();
    const edited = join(root, 'posts', '2024-12-31-harbour-at-dawn.md');
    await writeFile(edited, `${await readFile(edited, 'utf8')}\nMy own addition.\n`);
    const before = await snapshot(root);
    const run = await sahifa(['import', 'wordpress', EXPORT, '--root', root, '--media', UPLOADS]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Wrote 0 files; 6 already there and unchanged; 1 left as it was (exists and differs)\n');
    expect(run.stderr).toBe('posts/2024-12-31-harbour-at-dawn.md: warning exists and differs from the import; left as it is (move it away to import it again)\n');
    expect(await snapshot(root)).toEqual(before);
  });

  it('reports malformed XML on one line with its line and column', async () => {
    const root = await makeSite({});
    const broken = join(root, 'broken.xml');
    await writeFile(broken, '<?xml version="1.0"?>\n<rss><channel>\n<item><title>x</title>\n</channel></rss>\n');
    const run = await sahifa(['import', 'wordpress', broken, '--root', root]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^error: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: malformed XML: .*export it again`));
    const feed = join(root, 'feed.xml');
    await writeFile(feed, '<rss><channel><item><title>x</title></item></channel></rss>');
    expect((await sahifa(['import', 'wordpress', feed, '--root', root])).stderr).toBe(`error: ${feed}:1:1: this RSS feed is no WordPress export: its items have no <wp:post_type> (export with Tools → Export, not the feed)\n`);
    expect((await sahifa(['import', 'wordpress', join(root, 'missing.xml'), '--root', root])).stderr).toBe(`error: cannot read ${join(root, 'missing.xml')} (ENOENT): give the path of a WordPress export (WXR, from Tools → Export)\n`);
  });
});
