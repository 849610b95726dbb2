import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { willCompileLayouts } from '../../src/render/email/mjml-thread.js';
import { copyFixture, REPO } from '../helpers/site.js';

const NOW = new Date('2026-01-01T00:00:00Z');

/**
 * Builds a site in a child Node through the compiled code (the
 * thread started as `sahifa build` starts it) and reports whether the main
 * thread itself loaded mjml, and the email files built.
 */
async function buildWithThread(root: string, out: string): Promise<{ mainLoadedMjml: string[]; emails: Record<string, string> }> {
  const script = `
    import { createRequire } from 'node:module';
    import { readdirSync, readFileSync } from 'node:fs';
    const { startMjmlThread } = await import(${JSON.stringify(join(REPO, 'lib', 'render', 'email', 'mjml-thread.js'))});
    const { build } = await import(${JSON.stringify(join(REPO, 'lib', 'pipeline', 'build.js'))});
    startMjmlThread();
    await build({ root: ${JSON.stringify(root)}, out: ${JSON.stringify(out)}, now: new Date(${NOW.getTime()}) });
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) => /node_modules\\/mjml\\//.test(path)).slice(0, 3);
    const emails = Object.fromEntries(readdirSync(${JSON.stringify(join(out, 'email'))}).map((name) => [name, readFileSync(${JSON.stringify(join(out, 'email'))} + '/' + name, 'utf8')]));
    process.stdout.write(JSON.stringify({ mainLoadedMjml: loaded, emails }));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number];
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as { mainLoadedMjml: string[]; emails: Record<string, string> };
}

describe('issue 13: mjml loaded on a thread of its own while a cold build starts', () => {
  it('compiles the layout there, with the same bytes as mjml on the main thread', async () => {
    const root = await copyFixture('email-site');
    const threaded = await buildWithThread(root, join(root, 'threaded'));
    // The layout came from the thread: the main thread never loaded mjml.
    expect(threaded.mainLoadedMjml).toEqual([]);
    const plain = await build({ root, write: false, now: NOW });
    const html = Object.keys(threaded.emails).filter((name) => name.endsWith('.html'));
    expect(html.length).toBeGreaterThan(0);
    for (const name of html) expect(threaded.emails[name], name).toBe(String(plain.files.get(`email/${name}`)));
  });

  it('is started only for a site with email and no compiled layout kept', async () => {
    const root = await copyFixture('email-site');
    expect(willCompileLayouts(root, true)).toBe(true);
    await mkdir(join(root, '.sahifa', 'cache', 'mjml'), { recursive: true });
    expect(willCompileLayouts(root, true)).toBe(true);
    await writeFile(join(root, '.sahifa', 'cache', 'mjml', 'layout.json'), '{}');
    expect(willCompileLayouts(root, true)).toBe(false);
    expect(willCompileLayouts(root, false)).toBe(true);
    await rm(join(root, '.sahifa'), { recursive: true });
    expect(willCompileLayouts(await copyFixture('site-three-posts'), true)).toBe(false);
    await writeFile(join(root, 'sahifa.config.json'), '{ not json');
    expect(willCompileLayouts(root, true)).toBe(false);
  });
});
