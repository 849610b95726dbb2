import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { hashTree } from '../../src/publish/changes.js';
import { publish, rollback } from '../../src/publish/publish.js';
import { REPO } from '../helpers/site.js';

const POST = 'posts/2025-02-28-russia-us-diplomatic-talks.md';

/** A copy of the sample site with the given publish targets, built. */
async function builtSite(targets: Record<string, unknown>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sahifa-publish-'));
  await cp(join(REPO, 'posts'), join(root, 'posts'), { recursive: true });
  const config = JSON.parse(await readFile(join(REPO, 'sahifa.config.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...config, publish: { targets } }, null, 2));
  await build({ root });
  return root;
}

/** Changes the sample post's last paragraph and rebuilds. */
async function editPost(root: string, text: string): Promise<void> {
  const path = join(root, POST);
  await writeFile(path, `${await readFile(path, 'utf8')}\n${text}\n`);
  await build({ root });
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

/** The files of a folder with their hashes, without git's own. */
async function siteFiles(folder: string): Promise<Map<string, string>> {
  return new Map([...(await hashTree(folder))].filter(([path]) => !path.startsWith('.git/')));
}

describe('publishing to a git branch (issue 5)', () => {
  it('makes the branch hold exactly dist/blog, one commit per publish naming the post, none when nothing changed', async () => {
    const remote = await mkdtemp(join(tmpdir(), 'sahifa-remote-'));
    git(remote, 'init', '--quiet', '--bare');
    const root = await builtSite({ pages: { type: 'git', remote, branch: 'gh-pages', cname: 'blog.example.org' } });

    const dry = await publish({ root, dryRun: true });
    expect(dry.changed).toBe(false);
    expect(dry.changes.added).toContain('russia-us-diplomatic-talks/index.html');
    expect(git(remote, 'branch', '--list')).toBe('');

    const first = await publish({ root });
    expect(first).toMatchObject({ target: 'pages', type: 'git', changed: true });
    const clone = await mkdtemp(join(tmpdir(), 'sahifa-clone-'));
    git(clone, 'clone', '--quiet', '--branch', 'gh-pages', remote, '.');
    const expected = await hashTree(join(root, 'dist', 'blog'));
    expected.set('.nojekyll', (await hashTree(clone)).get('.nojekyll')!);
    expected.set('CNAME', (await hashTree(clone)).get('CNAME')!);
    expect(await siteFiles(clone)).toEqual(expected);
    expect(await readFile(join(clone, 'CNAME'), 'utf8')).toBe('blog.example.org\n');
    expect(git(clone, 'log', '--format=%s').trim().split('\n')).toEqual(['Publish: add russia-us-diplomatic-talks']);

    await editPost(root, 'فقرة أضيفت بعد النشر الأول.');
    const second = await publish({ root });
    expect(second.changes.changed).toContain('russia-us-diplomatic-talks/index.html');
    git(clone, 'pull', '--quiet');
    expect(git(clone, 'log', '--format=%s').trim().split('\n')).toEqual(['Publish: update russia-us-diplomatic-talks', 'Publish: add russia-us-diplomatic-talks']);
    expect(git(clone, 'show', '--stat', '--format=', 'HEAD')).toContain('russia-us-diplomatic-talks/index.html');
    expect(await readFile(join(clone, 'russia-us-diplomatic-talks', 'index.html'), 'utf8')).toContain('فقرة أضيفت بعد النشر الأول.');

    const third = await publish({ root });
    expect(third.changed).toBe(false);
    git(clone, 'pull', '--quiet');
    expect(git(clone, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
  });
});

describe('publishing to a local web root as releases (issue 5)', () => {
  it('switches current to each new release, keeps N, and rolls back', async () => {
    const web = await mkdtemp(join(tmpdir(), 'sahifa-web-'));
    const root = await builtSite({ local: { type: 'dir', path: web, keep: 2 } });
    const first = await publish({ root });
    expect(first.changed).toBe(true);
    expect(readlinkSync(join(web, 'current'))).toBe(`releases/${first.version}`);
    expect(await hashTree(join(web, 'current'))).toEqual(await hashTree(join(root, 'dist', 'blog')));
    const firstFiles = await hashTree(join(web, 'current'));

    expect((await publish({ root })).changed).toBe(false);

    await editPost(root, 'تحديث ثانٍ.');
    const second = await publish({ root });
    expect(second.changes).toMatchObject({ changed: expect.arrayContaining(['russia-us-diplomatic-talks/index.html']) });
    // Only the search index's files, named by their content's hash, go away (issue 15).
    expect(second.changes.removed.filter((path) => !path.startsWith('pagefind/'))).toEqual([]);
    expect(await readFile(join(web, 'current', 'russia-us-diplomatic-talks', 'index.html'), 'utf8')).toContain('تحديث ثانٍ.');

    await editPost(root, 'تحديث ثالث.');
    const third = await publish({ root });
    expect(readdirSync(join(web, 'releases')).sort()).toEqual([second.version, third.version].sort());

    const back = await rollback({ root });
    expect(back).toMatchObject({ release: second.version, from: third.version });
    expect(await readFile(join(web, 'current', 'russia-us-diplomatic-talks', 'index.html'), 'utf8')).not.toContain('تحديث ثالث.');
    expect(firstFiles.size).toBeGreaterThan(0);
    await expect(rollback({ root })).rejects.toThrow('there is no earlier release to roll back to');
  });

  it('killed in the middle of a publish, leaves the live folder wholly old', async () => {
    const web = await mkdtemp(join(tmpdir(), 'sahifa-web-'));
    const root = await builtSite({ local: { type: 'dir', path: web, keep: 3 } });
    const old = await publish({ root });
    const oldFiles = await hashTree(join(web, 'current'));
    // A large build, so the copy takes long enough to be interrupted.
    for (let index = 0; index < 1000; index += 1) {
      await writeFile(join(root, 'posts', `bulk-${index}.md`), `---\ntitle: "تدوينة ${index}"\ndate: 2025-01-01\nnewsletter: false\n---\n\nنص ${index}.\n`);
    }
    await build({ root });
    const child = spawn(process.execPath, [BIN, 'publish', '--root', root], { stdio: 'ignore' });
    while (!readdirSync(join(web, 'releases')).some((name) => name.startsWith('.staging-'))) {
      if (child.exitCode !== null) throw new Error('the publish ended before it started copying');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(readlinkSync(join(web, 'current'))).toBe(`releases/${old.version}`);
    expect(await hashTree(join(web, 'current'))).toEqual(oldFiles);

    const next = await publish({ root });
    expect(next.changed).toBe(true);
    expect(readdirSync(join(web, 'releases')).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(await hashTree(join(web, 'current'))).toEqual(await hashTree(join(root, 'dist', 'blog')));
    // Two 1,000-post builds (pages, search index) and two publishes: minutes on a busy 2-core machine.
  }, 300_000);
});

describe('publishing with rsync to a local path (issue 5)', () => {
  it('uploads a release, reports what changed, and rolls back', async () => {
    const web = await mkdtemp(join(tmpdir(), 'sahifa-rsync-'));
    const root = await builtSite({ server: { type: 'rsync', destination: web, keep: 3 } });
    const first = await publish({ root });
    expect(await hashTree(join(web, 'current'))).toEqual(await hashTree(join(root, 'dist', 'blog')));
    await editPost(root, 'تحديث عبر المزامنة.');
    await rm(join(root, 'dist', 'blog', 'robots.txt'));
    await build({ root });
    const dry = await publish({ root, dryRun: true });
    expect(dry.changes.changed).toContain('russia-us-diplomatic-talks/index.html');
    expect(dry.changed).toBe(false);
    const second = await publish({ root });
    expect(second.changes.changed).toEqual(dry.changes.changed);
    expect(readlinkSync(join(web, 'current'))).toBe(`releases/${second.version}`);
    expect(await readFile(join(web, 'current', 'russia-us-diplomatic-talks', 'index.html'), 'utf8')).toContain('تحديث عبر المزامنة.');
    expect(await rollback({ root })).toMatchObject({ release: first.version });
    expect(await hashTree(join(web, 'current'))).not.toEqual(await hashTree(join(root, 'dist', 'blog')));
  });
});

describe('what publish refuses (issue 5)', () => {
  it('refuses after a failed build, without a build, and with an incomplete one', async () => {
    const web = await mkdtemp(join(tmpdir(), 'sahifa-web-'));
    const root = await builtSite({ local: { type: 'dir', path: web } });
    await rm(join(root, 'dist', 'blog', 'feed.xml'));
    await expect(publish({ root })).rejects.toThrow(/feed\.xml is missing or is a symbolic link, not the file the build wrote: run sahifa build again/);
    await writeFile(join(root, POST), '---\ntitle: بلا تاريخ\n---\n\nنص.\n');
    await expect(build({ root })).rejects.toThrow();
    // The post changed after the good build, so publish rebuilds, and fails as the build does.
    await expect(publish({ root })).rejects.toThrow(/date/);
    // Sources older than the output: no rebuild, and the failed build is refused.
    await utimes(join(root, POST), new Date(2000, 0, 1), new Date(2000, 0, 1));
    await expect(publish({ root })).rejects.toThrow(/the last build failed/);
    await rm(join(root, 'dist'), { recursive: true });
    await rm(join(root, '.sahifa'), { recursive: true });
    await expect(publish({ root })).rejects.toThrow(/there is no build in .*dist: run sahifa build first/);
    expect(existsSync(join(web, 'current'))).toBe(false);
    await expect(publish({ root, target: 'nope' })).rejects.toThrow('there is no publish target "nope": the targets are local');
  });
});
