import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { importSubstack } from '../../src/import/substack-import.js';
import { sahifa } from '../helpers/cli.js';
import { findAll, parseHtml } from '../helpers/html.js';
import { FIXTURES, makeSite, snapshot } from '../helpers/site.js';

const FIXTURE = join(FIXTURES, 'import-substack');
const FOLDER = join(FIXTURE, 'export');
const ZIP = join(FIXTURE, 'export.zip');
const squeeze = (text: string) => text.replace(/\s+/gu, '');

async function subscribers(root: string) {
  const run = await sahifa(['subscribers', 'list', '--json', '--root', root]);
  return (JSON.parse(run.stdout) as Array<{ email: string; state: string; created_at: string }>).map(({ email, state, created_at }) => [email, state, created_at]);
}

describe('issue 12: sahifa import substack', () => {
  for (const [kind, path] of [['zip', ZIP], ['folder', FOLDER]] as const) {
    it(`imports the posts of an export ${kind}, each built page holding the original text, and its email list`, async () => {
      const root = await makeSite({});
      const result = await importSubstack(path, { root, dryRun: false });
      expect(result.plan.counts).toEqual({ posts: 3, pages: 0, drafts: 1, notImported: {} });
      expect(result.plan.warnings).toEqual([]);
      expect(result.plan.remoteImages).toEqual(['https://substack-post-media.s3.amazonaws.com/public/images/souq.jpeg']);
      expect((await readdir(join(root, 'posts'))).sort()).toEqual(['2024-03-05-رسالة-الأسبوع-الأولى.md', '2024-04-01-spring-reading-list.md', '2024-05-01-draft-on-trains.md']);
      const first = await readFile(join(root, 'posts', '2024-03-05-رسالة-الأسبوع-الأولى.md'), 'utf8');
      expect(first).toMatch(/^---\ntitle: رسالة الأسبوع الأولى\ndate: 2024-03-05T14:00:00Z\ndescription: عن الأسواق، والطقس، والكتب\n---\n/);
      expect(first).toContain('![سوق المدينة](https://substack-post-media.s3.amazonaws.com/public/images/souq.jpeg)\n\n*السوق يوم السبت*');
      for (const gone of ['اشترك', 'Subscribe', 'Share', 'utm_source']) expect(first).not.toContain(gone);
      expect(await readFile(join(root, 'posts', '2024-05-01-draft-on-trains.md'), 'utf8')).toContain('draft: true');
      const built = await build({ root, strict: true, write: true });
      // Since issue 14 a remote image and a cover without alt text are warnings; the import keeps them as the export had them.
    expect(built.warnings.filter((message) => message.ruleId !== 'image-remote' && message.ruleId !== 'image-alt').map(String)).toEqual([]);
      for (const slug of ['رسالة-الأسبوع-الأولى', 'spring-reading-list']) {
        const original = fromHtml(await readFile(join(FOLDER, 'posts', `${(await readdir(join(FOLDER, 'posts'))).find((name) => name.includes(slug))}`), 'utf8'), { fragment: true });
        const [widget, button] = findAll(original, (element) => ['subscription-widget-wrap-editor', 'button-wrapper'].some((name) => (element.properties.className as string[] | undefined)?.includes(name)));
        for (const drop of [widget, button]) if (drop) drop.children = [];
        const [main] = findAll(parseHtml(await readFile(join(built.outDir, 'blog', slug, 'index.html'), 'utf8')), (element) => element.tagName === 'main');
        expect(squeeze(toText(main!)), slug).toContain(squeeze(toText(original)));
      }
      expect(result.emailLists?.map(({ file, report }) => [file, report.added, report.bad])).toEqual([['email_list.tajaribna.csv', 3, []]]);
      expect(await subscribers(root)).toEqual([
        ['sub@example.com', 'active', '2022-02-02T02:02:02.000Z'],
        ['paid@example.com', 'active', '2022-03-03T03:03:03.000Z'],
        ['nomail@example.com', 'unsubscribed', '2022-04-04T04:04:04.000Z'],
      ]);
    });
  }

  it('a dry run writes nothing and adds nobody; a second run changes nothing', async () => {
    const root = await makeSite({});
    const before = await snapshot(root);
    const dry = await sahifa(['import', 'substack', ZIP, '--root', root, '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('would write posts/2024-03-05-رسالة-الأسبوع-الأولى.md\n');
    expect(dry.stdout).toContain('(Substack keeps them on its own servers: download them to keep them)');
    expect(dry.stdout).toContain('Would import the email list email_list.tajaribna.csv into the subscribers: 3 added, 0 updated, 0 unchanged, 0 bad rows\n');
    expect(await snapshot(root)).toEqual(before);
    await sahifa(['import', 'substack', ZIP, '--root', root]);
    const after = await snapshot(root);
    const again = await sahifa(['import', 'substack', FOLDER, '--root', root]);
    expect(again.stdout).toContain('Imported the email list email_list.tajaribna.csv into the subscribers: 0 added, 0 updated, 3 unchanged, 0 bad rows\n');
    expect(again.stdout).toContain('Wrote 0 files; 3 already there and unchanged');
    expect(Object.keys(await snapshot(root)).filter((path) => !path.startsWith('.sahifa'))).toEqual(Object.keys(after).filter((path) => !path.startsWith('.sahifa')));
  });

  it('drops images that have no address on the web, so the build never misses a file, and reads no file outside the folder', async () => {
    const root = await makeSite({ 'secret.html': '<p>secret</p>' });
    const folder = join(root, 'export');
    await mkdir(join(folder, 'posts'), { recursive: true });
    await writeFile(join(folder, 'posts.csv'), 'post_id,post_date,is_published,title\n1.pics,2024-01-01T00:00:00Z,true,Pics\n../../secret,2024-01-02T00:00:00Z,true,Climb\n');
    await writeFile(join(folder, 'posts', '1.pics.html'), '<p>Text <img src="local.png" alt="a"> <img src="ftp://x.example/y.png" alt="b"> <a href="/p/other">other</a></p>');
    const result = await importSubstack(folder, { root, dryRun: false });
    expect(result.plan.warnings.map((warning) => warning.reason)).toEqual([
      'no posts/../../secret.html in the export for "Climb"; not imported',
      'image "local.png" has no address on the web and no file in the export; dropped',
    ]);
    // An image with another scheme (ftp:) is dropped with the unsafe ones.
    expect(await readFile(join(root, 'posts', '2024-01-01-pics.md'), 'utf8')).toContain('\n\nText [other](/p/other)\n');
    await build({ root, strict: false, write: true });
  });

  it('refuses a zip whose entries climb out, a broken zip and an export without posts.csv, on one line', async () => {
    const root = await makeSite({});
    const hostile = join(FIXTURE, 'hostile.zip');
    const run = await sahifa(['import', 'substack', hostile, '--root', root]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`error: ${hostile}: cannot read this zip (invalid relative path: ../escape.html); give a Substack export (the zip from Settings → Exports), or the folder it unpacks to\n`);
    const broken = join(root, 'broken.zip');
    await writeFile(broken, (await readFile(join(FIXTURE, 'export.zip'))).subarray(0, 300));
    const cut = await sahifa(['import', 'substack', broken, '--root', root]);
    expect(cut.stderr).toMatch(/^error: .*broken\.zip: cannot read this zip \(.+\); give a Substack export .*\n$/);
    const empty = await sahifa(['import', 'substack', join(FIXTURE), '--root', root]);
    expect(empty.stderr).toBe(`error: ${FIXTURE}: no posts.csv in it: this is no Substack export; export again from Substack (Settings → Exports → Create new export)\n`);
    expect(Object.keys(await snapshot(root)).sort()).toEqual(['broken.zip', 'sahifa.config.json']);
  });
});
