import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { sahifa } from '../helpers/cli.js';
import { copyFixture, REPO } from '../helpers/site.js';

/** Every output file of a build under `blog/` (HTML) and `email/`, as text. */
async function outputs(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const path = relative(folder, join(entry.parentPath, entry.name));
    if (entry.isFile() && /^(?:blog\/.*\.html|email\/.*)$/.test(path)) files.set(path, await readFile(join(folder, path), 'utf8'));
  }
  return files;
}

// scripts/bundle.mjs compiles the default theme into the bundle: a build parses, checks and compiles only the site's own templates.
describe('issue 13: the default theme precompiled in the bundle', () => {
  it('holds every template of the default theme', async () => {
    const bundle = await readFile(join(REPO, 'lib', 'bundle', 'build.cjs'), 'utf8');
    const theme = (await readdir(join(REPO, 'templates'), { recursive: true })).filter((path) => path.endsWith('.hbs'));
    expect(theme.length).toBeGreaterThan(15);
    for (const path of theme) expect(bundle, path).toContain(`[${JSON.stringify(path)}, { source: `);
  });

  it("uses a site's own templates in place of the precompiled ones, as the unbundled code does", async () => {
    const root = await copyFixture('cache-site');
    await mkdir(join(root, 'templates', 'page', 'partials'), { recursive: true });
    await mkdir(join(root, 'templates', 'email', 'partials'), { recursive: true });
    const pageFooter = await readFile(join(REPO, 'templates', 'page', 'partials', 'footer.hbs'), 'utf8');
    await writeFile(join(root, 'templates', 'page', 'partials', 'footer.hbs'), pageFooter.replace('</footer>', '<p class="mine">{{site.title}} — تذييل الموقع</p></footer>'));
    const emailFooter = await readFile(join(REPO, 'templates', 'email', 'partials', 'footer.hbs'), 'utf8');
    await writeFile(join(root, 'templates', 'email', 'partials', 'footer.hbs'), emailFooter.replace('</mj-text>', '<p class="mine">تذييل الرسالة</p></mj-text>'));
    const run = await sahifa(['build', '--root', root, '--out', join(root, 'bundled')]);
    expect(run.status, run.stderr).toBe(0);
    await build({ root, out: join(root, 'unbundled'), cache: false });
    const bundled = await outputs(join(root, 'bundled'));
    expect(bundled).toEqual(await outputs(join(root, 'unbundled')));
    const post = [...bundled].find(([path]) => /^blog\/[^/]+\/index\.html$/.test(path) && !path.startsWith('blog/tags/'));
    expect(post?.[1]).toContain('<p class="mine">موقع تجاربنا — تذييل الموقع</p></footer>');
    const email = [...bundled].find(([path]) => path.endsWith('.html') && path.startsWith('email/'));
    expect(email?.[1]).toContain('تذييل الرسالة');
  });

  it("checks a site's broken template as before, with its file, line and column", async () => {
    const root = await copyFixture(join('bad', 'broken-template'));
    await writeFile(join(root, 'sahifa.config.json'), await readFile(join(REPO, 'test', 'fixtures', 'cache-site', 'sahifa.config.json')));
    const run = await sahifa(['build', '--root', root, '--out', join(root, 'dist')]);
    expect(run.status).toBe(1);
    const expected = (await readFile(join(REPO, 'test', 'fixtures', 'bad', 'broken-template', 'expected.txt'), 'utf8')).trim();
    expect(run.stderr).toContain(expected.slice(expected.indexOf(':2:3: ')));
    expect(run.stderr).toMatch(/share\.hbs:2:3: error template syntax error/);
  });
});
