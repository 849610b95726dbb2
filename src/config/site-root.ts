import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Name of the site configuration file at the site root. */
export const CONFIG_FILE = 'sahifa.config.json';

/**
 * The site root for a command run in `start`: `start` itself or the nearest
 * folder above it holding `sahifa.config.json`, as git finds its repository,
 * so a command run in `posts/` works on the whole site.
 *
 * @param start The folder to start from (`--root`, or the current folder).
 * @returns The site root, or `undefined` when `start` is not a folder or no
 *   folder up to the file system's root holds the file.
 */
export function findSiteRoot(start: string): string | undefined {
  if (!statSync(start, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  for (let folder = resolve(start); ; folder = dirname(folder)) {
    if (statSync(join(folder, CONFIG_FILE), { throwIfNoEntry: false })?.isFile()) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}
