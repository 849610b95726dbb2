import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunning } from '../system/is-running.js';

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
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:new|old)-(\\d+)-[0-9a-f]{8}$`);
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    await rm(join(folder, name), { recursive: true, force: true });
  }
}

