// Bundles the compiled CLI (lib/) into lib/bundle/ with esbuild: one file per entry and shared chunks.
// Node's module loader pays for every file it resolves and reads: the CLI imports about 1,100 of them
// (its own and its dependencies'), which cost more start-up than the build of a small site. Bundled,
// a one-post build starts in a quarter less CPU time. Packages with native parts or files of their own
// stay outside and are loaded from node_modules as before.
//
// Usage: node scripts/bundle.mjs [LIB_DIR]   (default: lib, after `tsc -p tsconfig.build.json`)
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const lib = resolve(process.argv[2] ?? 'lib');
const outdir = join(lib, 'bundle');
await rm(outdir, { recursive: true, force: true });
await build({
  // The CLI, and the worker threads it starts by file name beside itself (render pool, mjml, outbox, sign-up writer).
  entryPoints: [join(lib, 'cli', 'bin.js'), join(lib, 'pipeline', 'render-worker.js'), join(lib, 'render', 'email', 'mjml-worker.js'), join(lib, 'serve', 'outbox', 'worker.js'), join(lib, 'serve', 'writer', 'writer-worker.js')],
  outdir,
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native addons (better-sqlite3, sharp), a package that runs its own binary (pagefind), and mjml with
  // the packages it loads by name at run time.
  external: ['better-sqlite3', 'sharp', 'pagefind', 'mjml', 'mjml-core', 'juice'],
  // Bundled CommonJS packages call require() for Node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __sahifaRequire } from 'node:module'; const require = __sahifaRequire(import.meta.url);" },
  // Packages are found from the compiled files up, and else in this repository's node_modules (a copy of
  // lib/ compiled elsewhere, as the pack test does, has none beside it).
  nodePaths: [fileURLToPath(new URL('../node_modules', import.meta.url))],
  logLevel: 'warning',
});

// The bundle's hash, which sahifa's caches put in their keys (src/cache/cache-root.ts reads it instead of
// hashing 5 MB of code on every build).
const hash = createHash('sha256');
for (const name of (await readdir(outdir)).filter((file) => file.endsWith('.js')).sort()) hash.update(`${name}\0`).update(await readFile(join(outdir, name))).update('\0');
const { BUNDLE_HASH_FILE } = await import(pathToFileURL(join(lib, 'cache', 'cache-root.js')).href);
await writeFile(join(outdir, BUNDLE_HASH_FILE), `${hash.digest('hex')}\n`);
