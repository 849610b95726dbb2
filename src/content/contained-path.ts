import { realpath } from 'node:fs/promises';
import { sep } from 'node:path';

/** Where a path really leads, once every symbolic link on the way is followed. */
export type ContainedPath =
  | { kind: 'inside'; real: string }
  | { kind: 'outside'; real: string }
  | { kind: 'missing'; code: string };

/**
 * Follows every symbolic link in `path` and says whether the file it really
 * names lies inside `folder` (itself resolved the same way). A link inside
 * the site that points out of it (`cover.jpg` → `/etc/shadow`) is `outside`,
 * so nothing out of the site root is ever read through a link.
 *
 * @param path       The path to check (absolute).
 * @param folder     The folder it must stay in (absolute).
 * @param realFolder `realpath(folder)`, when the caller checks many paths against one folder.
 */
export async function containedPath(path: string, folder: string, realFolder: Promise<string> = realpath(folder)): Promise<ContainedPath> {
  let real: string;
  let resolvedFolder: string;
  try {
    resolvedFolder = await realFolder;
    real = await realpath(path);
  } catch (error) {
    return { kind: 'missing', code: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  return real === resolvedFolder || real.startsWith(resolvedFolder.endsWith(sep) ? resolvedFolder : resolvedFolder + sep) ? { kind: 'inside', real } : { kind: 'outside', real };
}
