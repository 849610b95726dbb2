import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCommonJs, saveCodeCache } from '../../startup/code-cache.js';

/** mjml's compile function, as mjml2html(mjml, options). */
export type Mjml2Html = (mjml: string, options: object) => Promise<{ html: string }>;

/** mjml bundled into one file with its dependencies by scripts/bundle.mjs, beside the bundled CLI (absent when sahifa runs from lib/ or src/). */
const BUNDLED_MJML = fileURLToPath(new URL('./mjml.cjs', import.meta.url));

let loading: Promise<Mjml2Html> | undefined;

/** Whether this sahifa carries the bundled mjml (then loading it costs about a third of loading the package). */
export function hasBundledMjml(): boolean {
  return existsSync(BUNDLED_MJML);
}

/**
 * Loads mjml once per thread: the bundled copy through its V8 code cache
 * when sahifa runs bundled (about a third of the CPU time of loading its
 * 900 files from node_modules), else the installed package.
 */
export function loadMjml(): Promise<Mjml2Html> {
  loading ??= hasBundledMjml() ? Promise.resolve().then(bundledMjml) : import('mjml').then(({ default: compile }) => compile as unknown as Mjml2Html);
  return loading;
}

function bundledMjml(): Mjml2Html {
  const loaded = runCommonJs(BUNDLED_MJML);
  const compile = loaded.exports as Mjml2Html;
  return async (mjml, options) => {
    const result = await compile(mjml, options);
    // The bundle script's training run keeps what compiling a layout compiled (no-op otherwise).
    saveCodeCache(loaded);
    return result;
  };
}
