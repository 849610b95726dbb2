import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { VFile } from 'vfile';
import { BuildFailure, fileFailure, reportError } from '../diagnostics/build-failure.js';
import { parseLocated, placeOfOffset, placeOfPath } from '../diagnostics/yaml-places.js';
import { siteConfigSchema, type SiteConfig } from './schema.js';

/** Name of the site configuration file at the site root. */
export const CONFIG_FILE = 'sahifa.config.json';

/**
 * Reads and validates `<root>/sahifa.config.json`.
 *
 * @param root The site root folder.
 * @returns The validated configuration with defaults filled in.
 * @throws {BuildFailure} naming the file, line, column and key of every problem.
 */
export async function loadConfig(root: string): Promise<SiteConfig> {
  const path = join(root, CONFIG_FILE);
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? `no site configuration: no ${CONFIG_FILE} in ${root} or any folder above it; run sahifa from the site root (or a folder inside it) or pass --root DIR (to start a new site, write ${CONFIG_FILE} as "Site configuration" in the README shows)`
        : `cannot read the site configuration (${code ?? String(error)})`;
    throw fileFailure(path, reason, 'config-unreadable', { cause: error });
  }
  return parseConfig(source, path);
}

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

/**
 * Validates configuration text; exported for tests and for tools that hold
 * the text already.
 *
 * @param source The JSON text.
 * @param path   Path used in messages.
 */
export function parseConfig(source: string, path: string): SiteConfig {
  const file = new VFile({ path, value: source });
  const located = parseLocated(source);
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (error) {
    const offset = Number(/position (\d+)/.exec(String(error))?.[1] ?? 0);
    reportError(file, `invalid JSON: ${(error as Error).message.replace(/ in JSON.*$/, '')}`, placeOfOffset(located, offset), 'config-json');
    throw new BuildFailure(file.messages, { cause: error });
  }
  const result = siteConfigSchema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        reportError(file, `unknown key \`${path.map(String).join('.')}\`: check its spelling against "Site configuration" in the README`, placeOfPath(located, path), 'config-invalid');
      }
      continue;
    }
    reportError(file, `\`${issue.path.map(String).join('.')}\`: ${issue.message}`, placeOfPath(located, issue.path), 'config-invalid');
  }
  throw new BuildFailure(file.messages);
}
