import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import mjml2html from 'mjml';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { MJML_OPTIONS } from '../../src/render/email/splice-mjml.js';
import { codeCacheFile } from '../../src/startup/code-cache.js';
import { sahifa } from '../helpers/cli.js';
import { nodeScriptJson } from '../helpers/node-script.js';
import { copyFixture, REPO } from '../helpers/site.js';

const BUNDLE = join(REPO, 'lib', 'bundle');
const CODE_CACHE = pathToFileURL(join(REPO, 'lib', 'startup', 'code-cache.js')).href;
const HEAP_GROWTH = pathToFileURL(join(REPO, 'lib', 'startup', 'heap-growth.js')).href;

/** Runs an ES module script in a child Node (the same V8 flags as the CLI's), and returns what it printed as JSON. */
function child(script: string): Promise<unknown> {
  // The CLI sets its heap flag before reading a code cache, and V8 accepts a cache only under the flags it was made with.
  return nodeScriptJson(`import { limitHeapGrowth } from ${JSON.stringify(HEAP_GROWTH)};\nlimitHeapGrowth();\n${script}`);
}

// scripts/bundle.mjs: the CLI as one CommonJS file and mjml as another, each run through a V8 code cache made by a training build.
describe('issue 13: the bundle starts from V8 code caches', () => {
  it('ships a code cache for the CLI and for mjml, and V8 accepts both', async () => {
    for (const file of ['build.cjs', 'mjml.cjs']) expect((await stat(codeCacheFile(join(BUNDLE, file)))).size, file).toBeGreaterThan(100_000);
    const loaded = await child(`
      import { runCommonJs } from ${JSON.stringify(CODE_CACHE)};
      const build = runCommonJs(${JSON.stringify(join(BUNDLE, 'build.cjs'))});
      const mjml = runCommonJs(${JSON.stringify(join(BUNDLE, 'mjml.cjs'))});
      console.log(JSON.stringify({ build: build.rejected, fullBuild: typeof build.exports.fullBuild, mjml: mjml.rejected, compile: typeof mjml.exports }));
    `);
    expect(loaded).toEqual({ build: false, fullBuild: 'function', mjml: false, compile: 'function' });
  });

  it("the bundled mjml compiles the email layout byte for byte as the installed package does", async () => {
    const root = await copyFixture('cache-site');
    const memory = await build({ root, write: false, now: new Date() });
    const documents = [...memory.emails.values()].map((email) => email.mjml);
    expect(documents.length).toBeGreaterThan(1);
    const html = (await child(`
      import { runCommonJs } from ${JSON.stringify(CODE_CACHE)};
      const compile = runCommonJs(${JSON.stringify(join(BUNDLE, 'mjml.cjs'))}).exports;
      const documents = ${JSON.stringify(documents)};
      const out = [];
      for (const mjml of documents) out.push((await compile(mjml, ${JSON.stringify(MJML_OPTIONS)})).html);
      console.log(JSON.stringify(out));
    `)) as string[];
    for (const [index, mjml] of documents.entries()) expect(html[index]).toBe((await mjml2html(mjml, MJML_OPTIONS)).html);
  });

  it('builds the same pages and emails as the code it was bundled from', async () => {
    const root = await copyFixture('cache-site');
    const cached = await stat(codeCacheFile(join(BUNDLE, 'build.cjs')));
    const run = await sahifa(['build', '--root', root, '--out', join(root, 'bundled')], { env: { SAHIFA_CODE_CACHE_TRAINING: '' } });
    expect(run.status, run.stderr).toBe(0);
    // A user's build reads the cache and never writes it (only the bundle script's training run does).
    expect((await stat(codeCacheFile(join(BUNDLE, 'build.cjs')))).mtimeMs).toBe(cached.mtimeMs);
    const memory = await build({ root, write: false, now: new Date() });
    let compared = 0;
    for (const [path, content] of memory.files) {
      if (!/^(?:blog\/.*\.html|email\/.*)$/.test(path)) continue;
      expect(await readFile(join(root, 'bundled', path), 'utf8'), path).toBe(typeof content === 'string' ? content : Buffer.from(content).toString('utf8'));
      compared += 1;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('does not offer V8 a cache made from other bytes, even of the same length', async () => {
    // V8 itself compares only the length of the source: a file edited to the same length would run the old code.
    const copy = await mkdtemp(join(tmpdir(), 'sahifa-code-cache-'));
    const source = await readFile(join(BUNDLE, 'mjml.cjs'), 'utf8');
    const at = source.indexOf('mj-column');
    expect(at).toBeGreaterThan(0);
    const edited = `${source.slice(0, at)}mj-colum2${source.slice(at + 'mj-column'.length)}`;
    expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(source));
    await writeFile(join(copy, 'mjml.cjs'), edited);
    await cp(codeCacheFile(join(BUNDLE, 'mjml.cjs')), codeCacheFile(join(copy, 'mjml.cjs')));
    const result = (await child(`
      import { runCommonJs } from ${JSON.stringify(CODE_CACHE)};
      const loaded = runCommonJs(${JSON.stringify(join(copy, 'mjml.cjs'))});
      const original = runCommonJs(${JSON.stringify(join(BUNDLE, 'mjml.cjs'))});
      console.log(JSON.stringify({ edited: loaded.rejected ?? 'not offered', original: original.rejected, compile: typeof loaded.exports }));
    `)) as { edited: boolean | string; original: boolean; compile: string };
    expect(result).toEqual({ edited: 'not offered', original: false, compile: 'function' });
    await rm(copy, { recursive: true, force: true });
  });

  it('runs as well from a code cache V8 turns down, and leaves that cache as it was', async () => {
    // A copy of the bundled mjml (it needs nothing beside it) with a damaged cache: as after a Node upgrade, or a truncated install.
    const copy = await mkdtemp(join(tmpdir(), 'sahifa-code-cache-'));
    await cp(join(BUNDLE, 'mjml.cjs'), join(copy, 'mjml.cjs'));
    const damaged = codeCacheFile(join(copy, 'mjml.cjs'));
    const bytes = (await readFile(codeCacheFile(join(BUNDLE, 'mjml.cjs')))).subarray(0, 50_000);
    bytes.fill(7, 100, 200);
    await writeFile(damaged, bytes);
    const mjml = '<mjml lang="ar" dir="rtl"><mj-body><mj-section direction="rtl"><mj-column direction="rtl"><mj-text align="right"><p dir="rtl">مرحبا</p></mj-text></mj-column></mj-section></mj-body></mjml>';
    const result = (await child(`
      import { runCommonJs } from ${JSON.stringify(CODE_CACHE)};
      const loaded = runCommonJs(${JSON.stringify(join(copy, 'mjml.cjs'))});
      const { html } = await loaded.exports(${JSON.stringify(mjml)}, ${JSON.stringify(MJML_OPTIONS)});
      console.log(JSON.stringify({ rejected: loaded.rejected, html }));
    `)) as { rejected: boolean; html: string };
    expect(result.rejected).toBe(true);
    expect(result.html).toBe((await mjml2html(mjml, MJML_OPTIONS)).html);
    expect(await readFile(damaged)).toEqual(bytes);
    await rm(copy, { recursive: true, force: true });
  });
});
