import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/site.js';

/** Runs a command to its end; its output is kept for the assertion message. */
async function run(command: string, args: string[], cwd: string): Promise<{ status: number | null; output: string }> {
  const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, output };
}

async function ok(command: string, args: string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  expect(result.status, `${command} ${args.join(' ')}\n${result.output}`).toBe(0);
  return result.output;
}

/**
 * The path README's "Start your own site" gives, on the real package: pack
 * the repository, install the tarball into an empty folder (from the
 * registry, preferring npm's cache), then `npx sahifa init` and `npx sahifa
 * build` there. Slow (npm install compiles better-sqlite3), so no time limit.
 */
describe('issue 12: the packed tarball installs and runs', () => {
  it('npm pack → npm install TARBALL in an empty folder → npx sahifa init → npx sahifa build', { timeout: 0 }, async () => {
    const work = await mkdtemp(join(tmpdir(), 'sahifa-pack-'));
    // Packed from a copy compiled afresh, so the repository's own lib/ (which other tests run) is never rebuilt under them.
    const source = join(work, 'source');
    await mkdir(source);
    for (const name of ['package.json', 'README.md', 'templates']) await cp(join(REPO, name), join(source, name), { recursive: true });
    await ok(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(source, 'lib')], REPO);
    await ok(process.execPath, [join(REPO, 'scripts', 'bundle.mjs'), join(source, 'lib')], REPO);
    await ok('npm', ['pack', '--ignore-scripts', '--pack-destination', work], source);
    const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
    expect(tarball).toMatch(/^sahifa-\d+\.\d+\.\d+\.tgz$/);

    const site = join(work, 'my-site');
    await mkdir(site);
    await ok('npm', ['install', '--prefer-offline', `../${tarball}`], site);
    // What the tarball holds: the compiled CLI with its bin, and the default theme.
    const installed = join(site, 'node_modules', 'sahifa');
    expect((await readdir(installed)).sort()).toEqual(['README.md', 'lib', 'package.json', 'templates']);
    expect(await readFile(join(installed, 'lib', 'bundle', 'bin.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);

    const init = await ok('npx', ['--no-install', 'sahifa', 'init', '--lang', 'ar', '--title', 'مدونتي'], site);
    expect(init).toContain('Created a site in .:');
    const manifest = JSON.parse(await readFile(join(site, 'package.json'), 'utf8'));
    expect(manifest.dependencies.sahifa).toBe(`file:../${tarball}`);
    expect(manifest.allowScripts).toMatchObject({ 'better-sqlite3': true, sahifa: true });

    expect(await ok('npx', ['--no-install', 'sahifa', 'build'], site)).toMatch(/^Built 1 post: /m);
    const about = await readFile(join(site, 'dist', 'blog', 'about', 'index.html'), 'utf8');
    expect(about).toContain('<html lang="ar" dir="rtl">');
    expect(about).toContain('aria-current="page">من نحن</a>');
    expect(await readFile(join(site, 'dist', 'blog', 'assets', 'style.css'), 'utf8')).toContain('.site-nav');
    // better-sqlite3 was built by the install: the subscriber list works.
    await ok('npx', ['--no-install', 'sahifa', 'subscribers', 'add', 'reader@example.org'], site);
    expect(await ok('npx', ['--no-install', 'sahifa', 'subscribers', 'list'], site)).toContain('reader@example.org');
    // And the scripts init wrote run it: nothing changed since the build above, so the stamp answers.
    expect(await ok('npm', ['run', 'build'], site)).toMatch(/Up to date: 1 post: /);
  });
});
