import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileFailure } from '../diagnostics/build-failure.js';

/** Folder of the pages (About, Contact…), under the site root. */
export const PAGES_DIR = 'pages';

/**
 * The Markdown files directly in `<root>/pages/`, sorted by name. Files whose
 * name starts with `_` or `.` are skipped. A site without the folder has no
 * pages, which is not an error.
 *
 * @param root The site root.
 * @throws {BuildFailure} when the folder exists but cannot be read.
 */
export async function findPageFiles(root: string): Promise<string[]> {
  const folder = join(root, PAGES_DIR);
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw fileFailure(folder, `cannot read the pages folder (${code ?? String(error)}): check that ${PAGES_DIR}/ is a readable folder`, 'pages-unreadable', { cause: error });
  }
  return entries
    .filter((entry) => !entry.isDirectory() && /\.md$/i.test(entry.name) && !/^[_.]/.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(folder, name));
}
