import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CODE_CACHE_TRAINING, runCommonJs, saveCodeCache } from './code-cache.js';

/**
 * Loads a part of the CLI that the bundle ships as a CommonJS file of its own
 * (`lib/bundle/<name>.cjs`, see scripts/bundle.mjs), through its V8 code
 * cache; when sahifa does not run bundled (from `lib/` or `src/`), the
 * module itself.
 *
 * @param name     The bundled file's name, without `.cjs`.
 * @param unbundled Imports the module when there is no bundle.
 */
export async function loadBundled<T>(name: string, unbundled: () => Promise<T>): Promise<T> {
  const file = fileURLToPath(new URL(`./${name}.cjs`, import.meta.url));
  if (!existsSync(file)) return unbundled();
  const loaded = runCommonJs(file);
  // The bundle script's training run keeps what this process compiled.
  if (process.env[CODE_CACHE_TRAINING]) process.on('exit', () => saveCodeCache(loaded));
  return loaded.exports as T;
}
