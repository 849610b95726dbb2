import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { buildFreshness, modifiedAt } from '../../src/pipeline/freshness.js';
import { publish } from '../../src/publish/publish.js';
import { loadBuiltEmail } from '../../src/send/load-email.js';
import { sahifa } from '../helpers/cli.js';
import { REPO } from '../helpers/site.js';
import { outside, POST, smallSite, touchAfterBuild, treeState } from './publish-site.js';

const MANIFEST = 'dist/.sahifa-output';

async function append(root: string, path: string, text: string): Promise<void> {
  await writeFile(join(root, path), `${await readFile(join(root, path), 'utf8')}\n${text}\n`);
  await touchAfterBuild(root, path);
}

describe('issue 10: one staleness rule for publish and send', () => {
  it('publish rebuilds a build older than its posts, then publishes the new build', async () => {
    const web = join(await outside('web'), 'www');
    const root = await smallSite({ site: { type: 'dir', path: web } });
    await publish({ root });
    await append(root, POST, 'فقرة كتبت بعد البناء.');
    const result = await publish({ root });
    expect(result.stale?.path).toBe(POST);
    expect(result.changed).toBe(true);
    expect(result.changes.changed).toContain('hello/index.html');
    expect(await readFile(join(web, 'current', 'hello', 'index.html'), 'utf8')).toContain('فقرة كتبت بعد البناء.');
    expect((await buildFreshness(root, await modifiedAt(join(root, MANIFEST)))).stale).toBe(false);
    const again = await publish({ root });
    expect(again).toMatchObject({ changed: false, stale: undefined });
  });

  it('says so in the command; --dry-run names the newer source, says to run sahifa build, and does not build', async () => {
    const web = join(await outside('web'), 'www');
    const root = await smallSite({ site: { type: 'dir', path: web } });
    await append(root, POST, 'فقرة أولى بعد البناء.');
    const site = await treeState(root);
    const dry = await sahifa(['publish', '--root', root, '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('+ index.html\n');
    expect(dry.stdout).toMatch(
      /Dry run for site \(dir\): the build is older than posts\/2025-01-01-hello\.md, so publish would rebuild first; the build as it is would publish \d+ added, 0 changed, 0 removed; nothing was changed \(run sahifa build to see the new build's changes\)\n$/,
    );
    expect(await treeState(root)).toEqual(site);
    expect(await treeState(web)).toEqual({});

    const real = await sahifa(['publish', '--root', root]);
    expect(real.stdout).toMatch(/^Rebuilt the site first: posts\/2025-01-01-hello\.md changed after the last build\n/);
    expect(real.stdout).toMatch(/Published to site \(dir\): \d+ added, 0 changed, 0 removed → \d{8}T\d{9}-[0-9a-f]{4}\n$/);
    expect(await readFile(join(web, 'current', 'hello', 'index.html'), 'utf8')).toContain('فقرة أولى بعد البناء.');
  });

  it('counts the config, the templates, and added or removed posts; a rebuild that fails stops the publish', async () => {
    const web = join(await outside('web'), 'www');
    const root = await smallSite({ site: { type: 'dir', path: web } });
    const builtAt = () => modifiedAt(join(root, MANIFEST));
    expect(await buildFreshness(root, await builtAt())).toMatchObject({ stale: false });
    expect(await buildFreshness(root, 0)).toMatchObject({ stale: true });

    await touchAfterBuild(root, 'sahifa.config.json');
    expect(await buildFreshness(root, await builtAt())).toMatchObject({ stale: true, newest: { path: 'sahifa.config.json' } });
    await build({ root });

    await mkdir(join(root, 'templates', 'page', 'partials'), { recursive: true });
    await writeFile(join(root, 'templates', 'page', 'partials', 'note.hbs'), '<p>note</p>');
    await touchAfterBuild(root, 'templates/page/partials/note.hbs');
    expect(await buildFreshness(root, await builtAt())).toMatchObject({ stale: true, newest: { path: 'templates/page/partials/note.hbs' } });
    await build({ root });

    await writeFile(join(root, 'posts', 'second.md'), '---\ntitle: ثانية\ndate: 2025-01-02\n---\n\nنص.\n');
    await build({ root });
    await rm(join(root, 'posts', 'second.md'));
    await touchAfterBuild(root, 'posts');
    expect(await buildFreshness(root, await builtAt())).toMatchObject({ stale: true, newest: { path: 'posts/' } });

    await writeFile(join(root, POST), '---\ntitle: بلا تاريخ\n---\n\nنص.\n');
    await touchAfterBuild(root, POST);
    await expect(publish({ root })).rejects.toThrow(/date/);
    await expect(publish({ root })).rejects.toThrow();
    expect(await treeState(web)).toEqual({});
  });

  it('send rebuilds by the same rule (a template changed after the build)', async () => {
    const root = await outside('send-site');
    await cp(join(REPO, 'posts'), join(root, 'posts'), { recursive: true });
    await cp(join(REPO, 'sahifa.config.json'), join(root, 'sahifa.config.json'));
    await build({ root });
    const slug = 'russia-us-diplomatic-talks';
    expect((await loadBuiltEmail(root, undefined, slug)).built).toBe(false);
    await mkdir(join(root, 'templates'));
    await touchAfterBuild(root, 'templates');
    expect((await loadBuiltEmail(root, undefined, slug)).built).toBe(true);
    expect((await loadBuiltEmail(root, undefined, slug)).built).toBe(false);
  });
});
