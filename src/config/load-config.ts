import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VFile } from 'vfile';
import { BuildFailure, fileFailure, reportError } from '../diagnostics/build-failure.js';
import { parseLocated, placeOfOffset, placeOfPath } from '../diagnostics/yaml-places.js';
import { siteConfigSchema, type SiteConfig } from './schema.js';
import { CONFIG_FILE } from './site-root.js';

export { CONFIG_FILE, findSiteRoot } from './site-root.js';

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
 * Validates configuration text; exported for tests and for tools that hold
 * the text already.
 *
 * @param source The JSON text.
 * @param path   Path used in messages.
 */
export function parseConfig(source: string, path: string): SiteConfig {
  const file = new VFile({ path, value: source });
  // Where each value stands in the text is needed only to report a mistake.
  let places: ReturnType<typeof parseLocated> | undefined;
  const located = () => (places ??= parseLocated(source));
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (error) {
    const offset = Number(/position (\d+)/.exec(String(error))?.[1] ?? 0);
    reportError(file, `invalid JSON: ${(error as Error).message.replace(/ in JSON.*$/, '')}`, placeOfOffset(located(), offset), 'config-json');
    throw new BuildFailure(file.messages, { cause: error });
  }
  // Parsed once per build: zod's compiled fast path (a new Function per object schema) costs more than it saves here.
  const result = siteConfigSchema.safeParse(data, { jitless: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        reportError(file, `unknown key \`${path.map(String).join('.')}\`: check its spelling against "Site configuration" in the README`, placeOfPath(located(), path), 'config-invalid');
      }
      continue;
    }
    reportError(file, `\`${issue.path.map(String).join('.')}\`: ${issue.message}`, placeOfPath(located(), issue.path), 'config-invalid');
  }
  throw new BuildFailure(file.messages);
}
