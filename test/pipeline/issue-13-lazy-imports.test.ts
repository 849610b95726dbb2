import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, GOOD_POST, makeSite, REPO } from '../helpers/site.js';

/**
 * Runs `sahifa <args>` in a child Node through the compiled CLI's `main`, then
 * prints which CommonJS packages (mjml is one) Node had loaded; mjml loaded on
 * its own thread while a cold build starts (mjml-thread.ts) counts as
 * `mjml-thread`.
 */
async function loadedAfter(args: string[]): Promise<{ status: number; loaded: string[] }> {
  const script = `
    import { createRequire } from 'node:module';
    const { main } = await import(${JSON.stringify(join(REPO, 'lib', 'cli', 'index.js'))});
    const { mjmlThreadsStarted } = await import(${JSON.stringify(join(REPO, 'lib', 'render', 'email', 'mjml-thread.js'))});
    const status = await main(['node', 'sahifa', ...${JSON.stringify(args)}]);
    const cached = Object.keys(createRequire(import.meta.url).cache).map((path) => path.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//)?.[1]).filter(Boolean);
    if (mjmlThreadsStarted() > 0) cached.push('mjml-thread');
    process.stdout.write(JSON.stringify({ status, loaded: [...new Set(cached)] }));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await once(child, 'close');
  const last = stdout.slice(stdout.lastIndexOf('{"status"'));
  return JSON.parse(last) as { status: number; loaded: string[] };
}

describe('issue 13: mjml is loaded only when an email is built', () => {
  it('builds a site with no email section without loading mjml', async () => {
    const root = await copyFixture('site-three-posts');
    const { status, loaded } = await loadedAfter(['build', '--root', root, '--out', join(root, 'dist')]);
    expect(status).toBe(0);
    expect(loaded).not.toContain('mjml');
    expect(loaded).not.toContain('mjml-core');
    expect(loaded).not.toContain('mjml-thread');
  });

  it('loads mjml for a site with an email section', async () => {
    const root = await copyFixture('email-site');
    const { status, loaded } = await loadedAfter(['build', '--root', root, '--out', join(root, 'dist')]);
    expect(status).toBe(0);
    // A cold build: loaded on a thread of its own, not on the main thread.
    expect(loaded).toContain('mjml-thread');
    expect(loaded).not.toContain('mjml-core');
  });
});

describe('issue 13: a build with nothing changed loads no renderer', () => {
  it('keeps the output of an unchanged site without loading mjml, handlebars or sharp', async () => {
    const root = await copyFixture('email-site');
    const past = new Date(Date.now() - 60_000);
    // Files written just before a build are not trusted by their time: these are an older site's.
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) if (entry.isFile()) await utimes(join(entry.parentPath, entry.name), past, past);
    expect((await loadedAfter(['build', '--root', root, '--out', join(root, 'dist')])).loaded).toContain('mjml-thread');
    const { status, loaded } = await loadedAfter(['build', '--root', root, '--out', join(root, 'dist')]);
    expect(status).toBe(0);
    expect(loaded.filter((name) => ['mjml-core', 'mjml-thread', 'handlebars', 'sharp', 'better-sqlite3'].includes(name))).toEqual([]);
  });
});

describe('issue 13: compiled email layouts are kept between builds', () => {
  it('renders an edited post\'s email without loading mjml, byte for byte as mjml, and survives a damaged layout file', async () => {
    const root = await copyFixture('email-site');
    const out = join(root, 'dist');
    expect((await loadedAfter(['build', '--root', root, '--out', out])).loaded).toContain('mjml-thread');
    const [post] = (await readdir(join(root, 'posts'))).filter((name) => name.endsWith('.md'));
    await appendFile(join(root, 'posts', post!), '\nفقرة أضيفت بعد البناء الأول.\n');
    const edited = await loadedAfter(['build', '--root', root, '--out', out]);
    expect(edited.status).toBe(0);
    expect(edited.loaded).not.toContain('mjml-core');
    expect(edited.loaded).not.toContain('mjml-thread');
    const emails = async (folder: string) => Object.fromEntries(await Promise.all((await readdir(join(folder, 'email'))).map(async (name) => [name, await readFile(join(folder, 'email', name), 'utf8')] as const)));
    const spliced = await emails(out);
    const clean = join(root, 'clean');
    expect((await loadedAfter(['build', '--root', root, '--out', clean, '--no-cache'])).status).toBe(0);
    expect(spliced).toEqual(await emails(clean));
    // A layout file cut short is not trusted: mjml compiles the layout again, with the same result.
    const layouts = join(root, '.sahifa', 'cache', 'mjml');
    for (const name of await readdir(layouts)) await writeFile(join(layouts, name), (await readFile(join(layouts, name), 'utf8')).slice(0, 500));
    await appendFile(join(root, 'posts', post!), '\nفقرة أخرى.\n');
    const damaged = await loadedAfter(['build', '--root', root, '--out', out]);
    // Layout files are kept (damaged), so no thread is started: the main thread compiles the layout again.
    expect(damaged.loaded).toContain('mjml-core');
    expect(damaged.loaded).not.toContain('mjml-thread');
    await rm(clean, { recursive: true });
    expect((await loadedAfter(['build', '--root', root, '--out', clean, '--no-cache'])).status).toBe(0);
    expect(await emails(out)).toEqual(await emails(clean));
  });
});

describe('issue 14: sharp is loaded only when a site has local images', () => {
  it('builds a site without local images without loading sharp, and loads it for one with images', async () => {
    const plain = await makeSite({ 'posts/a.md': GOOD_POST });
    const without = await loadedAfter(['build', '--root', plain, '--out', join(plain, 'dist')]);
    expect(without.status).toBe(0);
    expect(without.loaded).not.toContain('sharp');
    const root = await copyFixture('site-three-posts');
    const { status, loaded } = await loadedAfter(['build', '--root', root, '--out', join(root, 'dist')]);
    expect(status).toBe(0);
    expect(loaded).toContain('sharp');
  });
});
