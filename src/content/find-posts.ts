import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VFile } from 'vfile';
import { fileFailure, reportError } from '../diagnostics/build-failure.js';
import { containedPath } from './contained-path.js';

/** Folder of the posts, under the site root. */
export const POSTS_DIR = 'posts';

/**
 * The Markdown files in `<root>/posts/`, sorted by name so builds are
 * repeatable. Files whose name starts with `_` or `.` are skipped (notes,
 * editor backups).
 *
 * @param root The site root.
 * @throws {BuildFailure} when the folder is missing or unreadable.
 */
export async function findPostFiles(root: string): Promise<string[]> {
  const folder = join(root, POSTS_DIR);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fileFailure(folder, code === 'ENOENT' ? `no ${POSTS_DIR}/ folder: create it and put your Markdown posts there` : `cannot read the posts folder (${code ?? String(error)})`, 'posts-unreadable', { cause: error });
  }
  return names
    .filter((name) => /\.md$/i.test(name) && !/^[_.]/.test(name))
    .sort()
    .map((name) => join(folder, name));
}

/**
 * Reads a post into a VFile. A file that cannot be read still gives a VFile,
 * carrying a fatal message, so the build can report it beside other problems.
 *
 * A post that is a symbolic link leading out of the site root is not read.
 *
 * @param path     Absolute path of the post.
 * @param root     The site root, which no link may lead out of.
 * @param realRoot `realpath(root)`, when many posts are read.
 */
export async function readPostFile(path: string, root: string, realRoot?: Promise<string>): Promise<VFile> {
  const where = await containedPath(path, root, realRoot);
  if (where.kind === 'outside') {
    const file = new VFile({ path });
    reportError(file, 'this post is a symbolic link that leads out of the site: move the file into posts/ instead of linking to it', undefined, 'post-link-outside');
    return file;
  }
  try {
    return new VFile({ path, value: await readFile(path, 'utf8') });
  } catch (error) {
    const file = new VFile({ path });
    const code = (error as NodeJS.ErrnoException).code;
    reportError(file, `cannot read this post (${code ?? String(error)}): check that it is a readable file`, undefined, 'post-unreadable');
    return file;
  }
}
