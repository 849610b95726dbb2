import { join } from 'node:path';

/**
 * The folder processed images are kept in between builds. The one place the
 * path is decided (a shared build-cache root will own `.sahifa/cache/`).
 *
 * @param root The site root.
 */
export function imageCacheDir(root: string): string {
  return join(root, '.sahifa', 'cache', 'images');
}
