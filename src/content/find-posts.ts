import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { readdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
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

/** What reading many posts of one site checks once: where the root really is, and whether the posts folder lies inside it. */
export interface PostFolders {
  realRoot: Promise<string>;
  /** Whether each folder of posts, followed through any link, lies inside the site root; by folder. */
  inside: Map<string, Promise<boolean>>;
}

/**
 * The checks {@link readPostFile} makes once for the posts of the site at `root`.
 *
 * @param root The site root.
 */
export function postFolders(root: string): PostFolders {
  const realRoot = realpath(root);
  realRoot.catch(() => undefined);
  return { realRoot, inside: new Map() };
}

/**
 * Reads a post into a VFile. A file that cannot be read still gives a VFile,
 * carrying a fatal message, so the build can report it beside other problems.
 *
 * A post that is a symbolic link leading out of the site root is not read.
 *
 * @param path    Absolute path of the post.
 * @param root    The site root, which no link may lead out of.
 * @param folders From {@link postFolders}, when many posts are read.
 */
export async function readPostFile(path: string, root: string, folders?: PostFolders): Promise<VFile> {
  // A plain file (not a link) in a folder inside the site is read with one open that follows no link, without a realpath each.
  if (folders && (await folderInside(dirname(path), folders))) {
    const value = await readUnlessLink(path).catch((error: unknown) => unreadable(path, error));
    if (value instanceof VFile) return value;
    if (value !== undefined) return new VFile({ path, value });
  }
  const where = await containedPath(path, root, folders?.realRoot);
  if (where.kind === 'outside') {
    const file = new VFile({ path });
    reportError(file, 'this post is a symbolic link that leads out of the site: move the file into posts/ instead of linking to it', undefined, 'post-link-outside');
    return file;
  }
  try {
    return new VFile({ path, value: await readFile(path, 'utf8') });
  } catch (error) {
    return unreadable(path, error);
  }
}

function unreadable(path: string, error: unknown): VFile {
  const file = new VFile({ path });
  const code = (error as NodeJS.ErrnoException).code;
  reportError(file, `cannot read this post (${code ?? String(error)}): check that it is a readable file`, undefined, 'post-unreadable');
  return file;
}

function folderInside(folder: string, folders: PostFolders): Promise<boolean> {
  let inside = folders.inside.get(folder);
  if (!inside) {
    inside = Promise.all([folders.realRoot, realpath(folder)]).then(
      ([root, real]) => real.startsWith(root.endsWith(sep) ? root : root + sep),
      () => false,
    );
    folders.inside.set(folder, inside);
  }
  return inside;
}

/**
 * The file's text, or `undefined` when its last part is a symbolic link
 * (O_NOFOLLOW: no link is followed between a check and the read). Read
 * synchronously: a post is a few kilobytes, and each asynchronous call would
 * be four trips through libuv's thread pool (open, stat, read, close),
 * which cost more than the read itself for a site of thousands of posts.
 */
async function readUnlessLink(path: string): Promise<string | undefined> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return undefined;
    throw error;
  }
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
