import { toText } from 'hast-util-to-text';
import { fromHtml } from 'hast-util-from-html';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { importGhost } from '../../src/import/ghost-import.js';
import { sahifa } from '../helpers/cli.js';
import { findAll, parseHtml } from '../helpers/html.js';
import { FIXTURES, makeSite, snapshot } from '../helpers/site.js';

const FIXTURE = join(FIXTURES, 'import-ghost');
const EXPORT = join(FIXTURE, 'export.json');
const IMAGES = join(FIXTURE, 'content', 'images');
const squeeze = (text: string) => text.replace(/\s+/gu, '');

describe('issue 12: sahifa import ghost', () => {
  it('imports posts, pages, tags, authors, feature images and status, and each built page holds the original text', async () => {
    const root = await makeSite({});
    const result = await importGhost(EXPORT, { root, dryRun: false, media: IMAGES, url: 'https://old.example.com' });
    expect(result.plan.counts).toEqual({ posts: 3, pages: 2, drafts: 1, notImported: {} });
    expect(result.plan.warnings).toEqual([]);
    expect((await readdir(join(root, 'posts'))).sort()).toEqual(['2024-04-02-notes-from-the-coast.md', '2024-05-01-جولة-في-سوق-الخضار.md', '2024-06-01-draft-post.md', 'uploads']);
    expect((await readdir(join(root, 'pages'))).sort()).toEqual(['about-us.md', 'colophon.md']);
    const souq = await readFile(join(root, 'posts', '2024-05-01-جولة-في-سوق-الخضار.md'), 'utf8');
    expect(souq).toBe(`---
title: جولة في سوق الخضار
date: 2024-05-01T07:15:00Z
description: جولة صباحية بين الباعة.
author: ليلى
tags:
  - أسواق
  - Travel
image: uploads/2024/05/souq.png
image_alt: أكشاك الخضار في السوق عند الفجر
---

في الصباح الباكر يمتلئ **سوق الخضار** بالباعة.

![السوق](uploads/2024/05/souq.png)

*السوق عند الفجر*

## الأسعار

- الطماطم
- الخيار

اقرأ أيضاً [من نحن](../about-us/).
`);
    expect(await readFile(join(root, 'posts', '2024-06-01-draft-post.md'), 'utf8')).toContain('draft: true');
    const built = await build({ root, strict: true, write: true });
    // Since issue 14 a remote image and a cover without alt text are warnings; the import keeps them as the export had them.
    expect(built.warnings.filter((message) => message.ruleId !== 'image-remote' && message.ruleId !== 'image-alt').map(String)).toEqual([]);
    // The feature image's alt text (posts_meta.feature_image_alt) came along: the cover has no alt warning.
    expect(built.warnings.filter((message) => message.ruleId === 'image-alt' && message.message.startsWith('cover')).map(String)).toEqual([]);
    const json = JSON.parse(await readFile(EXPORT, 'utf8')) as { db: [{ data: { posts: Array<{ slug: string; html: string; status: string; type?: string }> } }] };
    const published = json.db[0].data.posts.filter((post) => post.status !== 'draft' && post.type === 'post');
    expect(built.posts.map((post) => post.slug).sort()).toEqual(published.map((post) => post.slug).sort());
    for (const post of published) {
      const page = await readFile(join(built.outDir, 'blog', post.slug, 'index.html'), 'utf8');
      const [main] = findAll(parseHtml(page), (element) => element.tagName === 'main');
      expect(squeeze(toText(main!)), post.slug).toContain(squeeze(toText(fromHtml(post.html, { fragment: true }))));
    }
    expect(built.posts.find((post) => post.slug === 'notes-from-the-coast')?.date.toISOString()).toBe('2024-04-02T23:30:00.000Z');
    // Since issue 14 the image is published processed, under a name with a hash and its width.
    const media = await readdir(join(built.outDir, 'blog', 'media', 'uploads', '2024', '05'));
    expect(media.some((name) => /^souq\.[0-9a-f]{8}-\d+\.png$/.test(name))).toBe(true);
  });

  it('says when __GHOST_URL__ needs --url, lists images left behind, and a second run changes nothing', async () => {
    const root = await makeSite({});
    const first = await sahifa(['import', 'ghost', EXPORT, '--root', root]);
    expect(first.status).toBe(0);
    expect(first.stderr).toBe(`${EXPORT}: warning the content points at its own site as __GHOST_URL__, written as https://ghost-site.invalid for now: give --url with the old site's address so those links and images keep working\n`);
    expect(first.stdout).toContain('1 image left at its address (give --media with the content/images folder to copy them into the site):\n  https://ghost-site.invalid/content/images/2024/05/souq.png\n3 posts, 2 pages, 1 draft\n');
    const before = await snapshot(root);
    const second = await sahifa(['import', 'ghost', EXPORT, '--root', root]);
    expect(second.stdout).toContain('Wrote 0 files; 5 already there and unchanged; 0 left as they were (exist and differ)\n');
    expect(await snapshot(root)).toEqual(before);
    const dry = await makeSite({});
    const dryBefore = await snapshot(dry);
    expect((await sahifa(['import', 'ghost', EXPORT, '--root', dry, '--dry-run', '--url', 'https://old.example.com'])).stdout).toContain('would write posts/2024-05-01-جولة-في-سوق-الخضار.md\n');
    expect(await snapshot(dry)).toEqual(dryBefore);
  });

  it('reports malformed JSON, or JSON that is no Ghost export, on one line with its place', async () => {
    const root = await makeSite({});
    const broken = join(root, 'broken.json');
    await writeFile(broken, '{\n  "db": [\n    { "data": { "posts": [ { "title": "x", } ] } }\n  ]\n}\n');
    const run = await sahifa(['import', 'ghost', broken, '--root', root]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`error: ${broken}:3:44: malformed JSON: Expected double-quoted property name; export the site again from Ghost (Settings → Advanced → Import/Export → Export)\n`);
    const other = join(root, 'other.json');
    await writeFile(other, '{"posts": []}');
    expect((await sahifa(['import', 'ghost', other, '--root', root])).stderr).toBe(`error: ${other}:1:1: not a Ghost export: expected "db": [{ "data": { "posts": [...] } }]; export the site again from Ghost (Settings → Advanced → Import/Export → Export)\n`);
    expect((await sahifa(['import', 'ghost', other, '--root', root, '--url', 'javascript:alert(1)'])).stderr).toBe('error: --url expects the old site\'s address, such as https://blog.example.com, got "javascript:alert(1)"\n');
    expect(Object.keys(await snapshot(root)).sort()).toEqual(['broken.json', 'other.json', 'sahifa.config.json']);
  });

  it('imports the Ghost members CSV with opted-out members as unsubscribed', async () => {
    const root = await makeSite({});
    const run = await sahifa(['subscribers', 'import', join(FIXTURE, 'members.csv'), '--root', root]);
    expect(run.status).toBe(0);
    const list = JSON.parse((await sahifa(['subscribers', 'list', '--json', '--root', root])).stdout) as Array<{ email: string; state: string; created_at: string }>;
    expect(list.map(({ email, state, created_at }) => [email, state, created_at])).toEqual([
      ['reader@example.com', 'active', '2024-01-10T10:00:00.000Z'],
      ['left@example.com', 'unsubscribed', '2024-02-10T10:00:00.000Z'],
      ['paid-left@example.com', 'unsubscribed', '2024-03-10T10:00:00.000Z'],
    ]);
  });
});
