// Bundles the compiled CLI (lib/) into lib/bundle/ with esbuild, and makes the V8 code caches it starts with.
// Node's module loader pays for every file it resolves and reads: the CLI imports about 1,100 of them
// (its own and its dependencies'), which cost more start-up than the build of a small site. Bundled,
// a one-post build starts in a quarter less CPU time. Packages with native parts or files of their own
// stay outside and are loaded from node_modules as before.
//
// What it writes (README, "One post, cold"):
// - bin.js (the CLI) and the worker threads (render pool, mjml, outbox) as ES modules with shared chunks,
//   each command's code loaded when it runs;
// - build.cjs: what `sahifa build` runs once the build stamp says something changed (src/cli/full-build.ts),
//   in one CommonJS file that the command runs through a V8 code cache (src/startup/);
// - the default theme's templates compiled by Handlebars, in the bundle (src/startup/precompiled-theme.ts);
// - mjml.cjs: mjml and the packages it loads, in one file the mjml thread runs through its own code cache;
// - code.sha256: the hash of the code, which sahifa's caches key on;
// - build.cjs.v8cache and mjml.cjs.v8cache: the code caches, made by building the sample site with the
//   new bundle (a training run). A Node whose V8 does not accept them compiles the code as without them.
//
// Usage: node scripts/bundle.mjs [LIB_DIR]   (default: lib, after `tsc -p tsconfig.build.json`)
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const lib = resolve(process.argv[2] ?? 'lib');
const outdir = join(lib, 'bundle');
// Native addons (better-sqlite3, sharp), a package that runs its own binary (pagefind), mjml with the
// packages it loads by name at run time (bundled on their own below, as mjml.cjs), and tinypool, which
// starts its threads from a file of its own found beside its module (bundled, it would look for it in
// lib/bundle/).
const external = ['better-sqlite3', 'sharp', 'pagefind', 'mjml', 'mjml-core', 'juice', 'tinypool'];
/**
 * The default theme compiled now (src/startup/precompiled-theme.ts): each template as src/render/template-set.ts
 * compiles it (parsed, then compiled with the same options; plain-text templates unescaped, partials with none),
 * beside the text it was compiled from.
 */
const precompiledTheme = {
  name: 'precompiled-theme',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]startup[\\/]precompiled-theme\.js$/ }, async () => {
      const entries = [];
      for (const set of ['page', 'email']) {
        for (const sub of ['', 'partials']) {
          const folder = join(REPO, 'templates', set, sub);
          for (const name of (await readdir(folder).catch(() => [])).filter((file) => file.endsWith('.hbs')).sort()) {
            const source = await readFile(join(folder, name), 'utf8');
            const spec = Handlebars.precompile(Handlebars.parse(source), sub ? undefined : { noEscape: name.endsWith('.txt.hbs') });
            entries.push(`[${JSON.stringify([set, sub, name].filter(Boolean).join('/'))}, { source: ${JSON.stringify(source)}, spec: ${spec} }]`);
          }
        }
      }
      return { contents: `export const PRECOMPILED_THEME = new Map([\n${entries.join(',\n')}\n]);\n`, loader: 'js' };
    });
  },
};
const common = {
  bundle: true,
  plugins: [precompiledTheme],
  platform: 'node',
  target: 'node20',
  // Packages are found from the compiled files up, and else in this repository's node_modules (a copy of
  // lib/ compiled elsewhere, as the pack test does, has none beside it).
  nodePaths: [join(REPO, 'node_modules')],
  logLevel: 'warning',
};

await rm(outdir, { recursive: true, force: true });
// The CLI, and the worker threads it starts by file name beside itself (render pool, mjml, outbox, sign-up writer,
// the output's file writer).
await build({
  ...common,
  entryPoints: [join(lib, 'cli', 'bin.js'), join(lib, 'pipeline', 'render-worker.js'), join(lib, 'render', 'email', 'mjml-worker.js'), join(lib, 'serve', 'outbox', 'worker.js'), join(lib, 'pipeline', 'file-writer-worker.js')],
  outdir,
  entryNames: '[name]',
  splitting: true,
  format: 'esm',
  external,
  // Bundled CommonJS packages call require() for Node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __sahifaRequire } from 'node:module'; const require = __sahifaRequire(import.meta.url);" },
});
// The build past the stamp in one CommonJS file: a script V8 can cache, which an ES module is not on Node 20.
// Its modules read import.meta.url to find what lies beside them; here that is the bundle's own address.
await build({
  ...common,
  entryPoints: [join(lib, 'cli', 'full-build.js')],
  outfile: join(outdir, 'build.cjs'),
  format: 'cjs',
  external,
  define: { 'import.meta.url': '__sahifaModuleUrl' },
  banner: { js: "var __sahifaModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// mjml in one file: loading it from node_modules resolves and compiles about 900 files. TypeScript, which
// its configuration loader requires only for a TypeScript .mjmlconfig, stays outside.
await build({
  ...common,
  stdin: { contents: "module.exports = require('mjml');", resolveDir: lib, sourcefile: 'mjml-entry.cjs', loader: 'js' },
  outfile: join(outdir, 'mjml.cjs'),
  format: 'cjs',
  external: ['typescript'],
});

// The bundle's hash, which sahifa's caches put in their keys (src/cache/cache-root.ts reads it instead of
// hashing 5 MB of code on every build).
const hash = createHash('sha256');
for (const name of (await readdir(outdir)).filter((file) => /\.c?js$/.test(file)).sort()) hash.update(`${name}\0`).update(await readFile(join(outdir, name))).update('\0');
const { BUNDLE_HASH_FILE } = await import(pathToFileURL(join(lib, 'cache', 'cache-root.js')).href);
await writeFile(join(outdir, BUNDLE_HASH_FILE), `${hash.digest('hex')}\n`);

// The training run: the new bundle builds the sample site cold, then again after an edit, and keeps in its
// code caches every function those builds compiled (src/startup/code-cache.ts).
const { CODE_CACHE_TRAINING } = await import(pathToFileURL(join(lib, 'startup', 'code-cache.js')).href);
const site = await mkdtemp(join(tmpdir(), 'sahifa-code-cache-'));
try {
  for (const name of ['sahifa.config.json', 'posts']) await cp(join(REPO, name), join(site, name), { recursive: true });
  const post = join(site, 'posts', (await readdir(join(site, 'posts'))).find((name) => name.endsWith('.md')));
  for (const edit of ['', '\nEdited.\n']) {
    if (edit) await writeFile(post, `${await readFile(post, 'utf8')}${edit}`);
    const run = spawnSync(process.execPath, [join(outdir, 'bin.js'), 'build', '--root', site], { env: { ...process.env, [CODE_CACHE_TRAINING]: '1' }, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${(run.stderr || run.error?.message || '').trim().split('\n').slice(-3).join(' ')}`);
  }
} catch (error) {
  // Without code caches sahifa runs as well, only its start is slower.
  process.stderr.write(`bundle: no code cache made (the training build failed: ${error instanceof Error ? error.message : String(error)})\n`);
} finally {
  await rm(site, { recursive: true, force: true });
}
