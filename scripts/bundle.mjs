// Bundles the compiled CLI (lib/) into lib/bundle/ with esbuild: one file per entry and shared chunks.
// Node's module loader pays for every file it resolves and reads: the CLI imports about 1,100 of them
// (its own and its dependencies'), which cost more start-up than the build of a small site. Bundled,
// a one-post build starts in a quarter less CPU time. Packages with native parts or files of their own
// stay outside and are loaded from node_modules as before.
//
// Usage: node scripts/bundle.mjs [LIB_DIR]   (default: lib, after `tsc -p tsconfig.build.json`)
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const lib = resolve(process.argv[2] ?? 'lib');
const outdir = join(lib, 'bundle');
await rm(outdir, { recursive: true, force: true });
await build({
  // The CLI, and the worker threads it starts by file name beside itself (render pool, mjml, outbox).
  entryPoints: [join(lib, 'cli', 'bin.js'), join(lib, 'pipeline', 'render-worker.js'), join(lib, 'render', 'email', 'mjml-worker.js'), join(lib, 'serve', 'outbox', 'worker.js')],
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
  logLevel: 'warning',
});
