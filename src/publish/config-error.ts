import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileFailure, type BuildFailure } from '../diagnostics/build-failure.js';
import { parseLocated, placeOfPath } from '../diagnostics/yaml-places.js';
import { CONFIG_FILE } from '../config/load-config.js';

/**
 * A problem with a publish setting that only shows against the site on disk
 * (a folder that overlaps the site), reported like every other config error:
 * `sahifa.config.json:LINE:COL: error \`publish.targets.NAME.KEY\`: … [rule]`.
 *
 * @param root   The site root.
 * @param target The target's name.
 * @param key    The setting (`path`, `destination`, `remote`).
 * @param reason What is wrong and what to do.
 * @param ruleId The rule's id.
 */
export async function targetSettingError(root: string, target: string, key: string, reason: string, ruleId: string): Promise<BuildFailure> {
  const path = join(root, CONFIG_FILE);
  const keys = ['publish', 'targets', target, key];
  const source = await readFile(path, 'utf8').catch(() => undefined);
  const place = source === undefined ? undefined : placeOfPath(parseLocated(source), keys);
  return fileFailure(path, `\`${keys.join('.')}\`: ${reason}`, ruleId, { place });
}
