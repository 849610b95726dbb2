import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { readBuildRecord } from '../../src/pipeline/build-record.js';
import { publish } from '../../src/publish/publish.js';
import { sahifa } from '../helpers/cli.js';
import { outside, smallSite, treeState } from './publish-site.js';

const FUTURE_POST = '---\ntitle: "عيد"\ndate: 2099-01-01\nslug: eid\n---\n\nتهنئة بالعيد.\n';

/** A built site holding a post dated in 2099, built with --future (as `send --force` builds it). */
async function siteHoldingFuturePost(web: string): Promise<string> {
  const root = await smallSite({ site: { type: 'dir', path: web } }, false);
  await writeFile(join(root, 'posts', '2099-01-01-eid.md'), FUTURE_POST);
  await build({ root, future: true });
  return root;
}

const exists = (path: string) => access(path).then(() => true, () => false);

describe('issue 10: a post built before its date is not published by accident', () => {
  it('records the early post; publish rebuilds without it, and --future publishes it', async () => {
    const web = join(await outside('web'), 'www');
    const root = await siteHoldingFuturePost(web);
    expect(await exists(join(root, 'dist', 'blog', 'eid', 'index.html'))).toBe(true);
    const record = await readBuildRecord(root, join(root, 'dist'));
    expect(record?.early).toEqual([{ slug: 'eid', date: expect.stringMatching(/^2098-12-31T|^2099-01-01T/) as unknown as string }]);

    const result = await publish({ root });
    expect(result.early?.map((post) => post.slug)).toEqual(['eid']);
    expect(await exists(join(web, 'current', 'hello', 'index.html'))).toBe(true);
    expect(await exists(join(web, 'current', 'eid', 'index.html'))).toBe(false);
    expect(await readFile(join(web, 'current', 'rss.xml'), 'utf8')).not.toContain('eid');
    expect((await readBuildRecord(root, join(root, 'dist')))?.early).toBeUndefined();
    const again = await publish({ root });
    expect(again.changed).toBe(false);
    expect(again.early).toBeUndefined();

    await build({ root, future: true });
    const forced = await publish({ root, future: true });
    expect(forced.early).toBeUndefined();
    expect(forced.changes.added).toContain('eid/index.html');
    expect(await exists(join(web, 'current', 'eid', 'index.html'))).toBe(true);
  });

  it('the command says so; --dry-run names the posts and changes nothing', async () => {
    const web = join(await outside('web'), 'www');
    const root = await siteHoldingFuturePost(web);
    const site = await treeState(root);
    const dry = await sahifa(['publish', '--root', root, '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/Dry run for site \(dir\): the build holds posts dated after today \(eid\), so publish would rebuild without them \(or pass --future\); the build as it is would publish \d+ added, 0 changed, 0 removed; nothing was changed\n$/);
    expect(await treeState(root)).toEqual(site);
    expect(await treeState(web)).toEqual({});

    const real = await sahifa(['publish', '--root', root]);
    expect(real.status).toBe(0);
    expect(real.stdout).toMatch(/^Rebuilt the site first, without the posts dated after today it held \(eid\): pass --future to publish them now\n/);
    expect(await exists(join(web, 'current', 'eid', 'index.html'))).toBe(false);
  });
});
