import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { initSite } from '../../src/init/init-site.js';
import { installSpec } from '../../src/init/install-spec.js';
import { sahifa } from '../helpers/cli.js';
import { snapshot } from '../helpers/site.js';

const temp = () => mkdtemp(join(tmpdir(), 'sahifa-init-'));

describe('issue 12: sahifa init', () => {
  it('a new folder gets a site that builds: first post, About page in the nav, workflow, package.json', async () => {
    const dir = join(await temp(), 'new', 'site');
    const run = await sahifa(['init', dir, '--title', 'مدونة التجارب', '--url', 'https://example.org/blog']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Created a site in .*: sahifa\.config\.json, posts\/\d{4}-\d{2}-\d{2}-welcome\.md, pages\/about\.md, \.gitignore, package\.json, \.github\/workflows\/publish\.yml\n/);

    const config = JSON.parse(await readFile(join(dir, 'sahifa.config.json'), 'utf8'));
    expect(config).toMatchObject({ title: 'مدونة التجارب', url: 'https://example.org/blog/', lang: 'ar', nav: [{ page: 'about' }] });
    expect((await readFile(join(dir, '.gitignore'), 'utf8')).split('\n')).toEqual(expect.arrayContaining(['dist/', '.sahifa/']));
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(manifest.scripts).toEqual({ build: 'sahifa build', dev: 'sahifa dev', send: 'sahifa send', publish: 'sahifa publish' });
    expect(manifest.allowScripts).toMatchObject({ 'better-sqlite3': true, esbuild: true });
    expect(manifest.dependencies.sahifa).toMatch(/^file:/);
    const workflow = await readFile(join(dir, '.github', 'workflows', 'publish.yml'), 'utf8');
    expect(workflow).toContain('npm ci');
    expect(workflow).toContain('npm run build');
    expect(workflow).toContain('actions/deploy-pages');
    expect(workflow).toContain('path: dist/blog');

    // The first post is dated today (UTC), so a build now publishes it.
    const result = await build({ root: dir });
    expect(result.posts.map((post) => post.slug)).toEqual(['welcome']);
    expect(result.sitePages.map((page) => page.slug)).toEqual(['about']);
    const about = await readFile(join(dir, 'dist', 'blog', 'about', 'index.html'), 'utf8');
    expect(about).toContain('<html lang="ar" dir="rtl">');
    expect(about).toContain('<h1 class="post-title" data-pagefind-meta="title">من نحن</h1>');
    expect(about).toContain('aria-current="page">من نحن</a>');
    expect(result.warnings.filter((message) => message.ruleId === 'broken-link')).toEqual([]);
  });

  for (const [lang, postTitle, dir] of [
    ['ar', 'مرحبًا بكم', 'rtl'],
    ['en', 'Welcome', 'ltr'],
    ['fa', 'خوش آمدید', 'rtl'],
    ['he', 'ברוכים הבאים', 'rtl'],
    ['ur', 'خوش آمدید', 'rtl'],
    ['ar-EG', 'مرحبًا بكم', 'rtl'],
    ['sw', 'Welcome', 'ltr'],
    ['ps', 'Welcome', 'rtl'],
  ] as const) {
    it(`--lang ${lang}: the first post in that language (English words for languages without their own), built ${dir}`, async () => {
      const root = join(await temp(), 'site');
      await initSite({ dir: root, lang, today: '2026-01-15' });
      const result = await build({ root, write: false });
      const html = String(result.files.get('blog/welcome/index.html'));
      expect(html).toContain(`<html lang="${lang}" dir="${dir}">`);
      expect(html).toContain(postTitle);
      expect(String(result.files.get('blog/about/index.html'))).toContain(`<html lang="${lang}" dir="${dir}">`);
    });
  }

  it('refuses a folder that holds anything else, in one line, and changes nothing', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await mkdir(join(dir, 'posts'));
    const before = await snapshot(dir);
    const run = await sahifa(['init', dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`error: ${dir} is not empty (it holds ${['notes.txt', 'posts'].join(', ')}): sahifa init writes a new site only into an empty or new folder; pass another folder, e.g. sahifa init my-site\n`);
    expect(await snapshot(dir)).toEqual(before);
    // A file where the folder should be.
    const file = join(dir, 'notes.txt');
    expect((await sahifa(['init', file])).stderr).toBe(`error: ${file} is a file, not a folder: pass a new or empty folder, e.g. sahifa init my-site\n`);
  });

  it('completes the package.json that installing sahifa left, keeping what is there', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'mine', dependencies: { sahifa: 'github:someone/sahifa' }, scripts: { build: 'sahifa build --strict' }, allowScripts: { 'better-sqlite3@12.6.2': true } }));
    await writeFile(join(dir, 'package-lock.json'), '{}');
    await mkdir(join(dir, 'node_modules'));
    await initSite({ dir });
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'mine', private: true, dependencies: { sahifa: 'github:someone/sahifa' } });
    expect(manifest.scripts).toEqual({ build: 'sahifa build --strict', dev: 'sahifa dev', send: 'sahifa send', publish: 'sahifa publish' });
    expect(manifest.allowScripts).toEqual({ 'better-sqlite3@12.6.2': true, 'better-sqlite3': true, esbuild: true, sahifa: true });
    expect(await readFile(join(dir, 'package-lock.json'), 'utf8')).toBe('{}');
  });

  it('checks --lang, --url and --title before writing anything', async () => {
    const parent = await temp();
    const dir = join(parent, 'site');
    const cases: Array<[string[], RegExp]> = [
      [['--lang', 'arabic'], /^error: --lang "arabic" names no language Intl knows: use a language code such as ar, en/],
      [['--lang', 'ar_EG!'], /^error: --lang "ar_EG!" is not a BCP 47 language tag; use one such as/],
      [['--lang', 'ar-SA-u-ca-nonesuch'], /^error: --lang "ar-SA-u-ca-nonesuch": Intl knows no calendar "nonesuch"/],
      [['--url', 'ftp://example.org/'], /^error: --url "ftp:\/\/example\.org\/" is not http\(s\): give the blog's public address, e.g\. --url https:\/\/example\.org\/\n$/],
      [['--url', 'example.org'], /^error: --url "example\.org" is not an address/],
      [['--url', 'javascript:alert(1)'], /^error: --url "javascript:alert\(1\)" is not http\(s\)/],
      [['--title', '   '], /^error: --title is empty/],
      [['--title', 'a\u001b[31mb'], /^error: --title holds control characters/],
    ];
    for (const [flags, expected] of cases) {
      const run = await sahifa(['init', dir, ...flags]);
      expect(run.status, flags.join(' ')).toBe(1);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(expected);
    }
    expect(await snapshot(parent)).toEqual({});
  });

  it('names sahifa as the site installed it: a git spec as it is, a tarball path from the new site', async () => {
    const owner = await temp();
    const packageRoot = join(owner, 'node_modules', 'sahifa');
    await mkdir(packageRoot, { recursive: true });
    await writeFile(join(owner, 'package.json'), JSON.stringify({ dependencies: { sahifa: 'file:../sahifa-0.1.0.tgz' } }));
    expect(installSpec(join(owner, 'sites', 'blog'), packageRoot)).toEqual({ spec: 'file:../../../sahifa-0.1.0.tgz', known: true });
    expect(installSpec(owner, packageRoot)).toEqual({ spec: 'file:../sahifa-0.1.0.tgz', known: true });
    await writeFile(join(owner, 'package.json'), JSON.stringify({ dependencies: { sahifa: 'git+https://example.org/sahifa.git#v0.1.0' } }));
    expect(installSpec(join(owner, 'blog'), packageRoot)).toEqual({ spec: 'git+https://example.org/sahifa.git#v0.1.0', known: true });
    // Run from a clone: this copy, marked unknown.
    expect(installSpec(join(owner, 'blog'), '/src/sahifa/')).toEqual({ spec: 'file:/src/sahifa', known: false });
  });
});
