import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { leftBehind, literal } from '../system/left-behind.js';

/**
 * Names of the temporary folders a write uses, with the writer's process id
 * in them, so a later build can tell the leftovers of a dead process (killed
 * with `kill -9` mid-write) from the work of a live one.
 */
export function stagingName(prefix: string, kind: 'new' | 'old', suffix: string): string {
  return `${prefix}.${kind}-${suffix}`;
}

/**
 * Removes the temporary folders `<prefix>.new-<pid>-<hex>` and
 * `<prefix>.old-<pid>-<hex>` in `folder` whose process is no longer
 * running. Folders of a live process (another build at this moment, or this
 * one) are left alone.
 *
 * @param folder The folder to look in.
 * @param prefix The name the temporary folders start with.
 */
export async function removeStaleStaging(folder: string, prefix: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of deadStaging(names, prefix, ['new', 'old'])) {
    await rm(join(folder, name), { recursive: true, force: true });
  }
}

/**
 * The names among `names` of temporary folders (`<prefix>.<kind>-<pid>-<hex>`)
 * left by a process that is no longer running.
 *
 * @param names Names of a folder's entries.
 * @param prefix The name the temporary folders start with.
 * @param kinds Which kinds of temporary folder to pick.
 */
export function deadStaging(names: readonly string[], prefix: string, kinds: readonly ('new' | 'old')[]): string[] {
  return leftBehind(names, new RegExp(`^${literal(prefix)}\\.(?:${kinds.join('|')})-(\\d+)-[0-9a-f]{8}$`));
}
