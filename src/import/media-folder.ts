import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * The media folder given with `--media`, resolved to its real path.
 *
 * @param dir The folder as given.
 * @throws {Error} naming `--media` when it is not a readable folder.
 */
export async function openMediaFolder(dir: string): Promise<string> {
  try {
    const real = await realpath(dir);
    if (!(await stat(real)).isDirectory()) throw new Error('not a folder');
    return real;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`--media ${dir}: cannot use it as the uploads folder (${reason}); give the folder that holds the export's images, e.g. wp-content/uploads`);
  }
}

/**
 * A path under the media folder from the path segments of an address, each
 * percent-decoded; `undefined` when a segment is empty, `.`/`..`, or holds a
 * slash, backslash, `#`, `?`, `%` or control character (so no address can leave the folder).
 *
 * @param segments The address's path segments below the uploads folder.
 */
export function mediaPathOf(segments: readonly string[]): string | undefined {
  const decoded: string[] = [];
  for (const segment of segments) {
    let part: string;
    try {
      part = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    // eslint-disable-next-line no-control-regex
    if (!part || part === '.' || part === '..' || /[/\\#?%\u0000-\u001f\u007f]/.test(part) || part.startsWith('.')) return undefined;
    decoded.push(part);
  }
  return decoded.length ? decoded.join('/') : undefined;
}

/**
 * The real path of a file under the media folder, or `undefined` when it is
 * missing, not a regular file, or (through a symbolic link) outside the folder.
 *
 * @param folder   The media folder's real path (from {@link openMediaFolder}).
 * @param relative A path from {@link mediaPathOf}.
 */
export async function findMediaFile(folder: string, relative: string): Promise<string | undefined> {
  try {
    const real = await realpath(join(folder, ...relative.split('/')));
    if (!real.startsWith(folder + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}
