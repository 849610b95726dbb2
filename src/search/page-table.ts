import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { searchCacheDir } from './index-cache.js';

/** Where the table is kept, in the search cache. */
const TABLE = 'pages.json';

/** One blog page as the last build's search step saw it: its SHA-256 (hex), and whether it has a record in the index. */
export type PageEntry = readonly [sha256: string, indexed: boolean];

const isEntry = (value: unknown): value is PageEntry => Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'boolean';

/**
 * The blog pages of the last build that kept its index, by path under
 * `dist/blog/`, when it was kept under the same `key`; an empty table
 * otherwise (none, another key, or a file that is not sound). A page whose
 * bytes are the same as then is known to be indexed or not without a look
 * at its record: at 5,000 pages those looks cost about 0.4 s, mostly the
 * records' text read from SQLite.
 *
 * @param root The site root.
 * @param key  What the table's answers depend on (sahifa's code and the record format).
 */
export async function readPageTable(root: string, key: string): Promise<Map<string, PageEntry>> {
  const table = new Map<string, PageEntry>();
  try {
    const stored = JSON.parse(await readFile(join(searchCacheDir(root), TABLE), 'utf8')) as { key?: unknown; pages?: Record<string, unknown> };
    if (stored.key !== key || typeof stored.pages !== 'object' || stored.pages === null) return table;
    for (const [path, entry] of Object.entries(stored.pages)) if (isEntry(entry)) table.set(path, entry);
  } catch {
    // No table, or one that does not parse: every page is looked up.
  }
  return table;
}

/**
 * Keeps the table of this build's blog pages for the next build: written
 * beside and renamed into place, so a reader finds a whole table or the
 * last one. A cache that cannot be written costs only the next build's
 * time, so failures are ignored.
 *
 * @param root  The site root.
 * @param key   As for {@link readPageTable}.
 * @param pages Each page's entry, by path.
 */
export async function writePageTable(root: string, key: string, pages: ReadonlyMap<string, PageEntry>): Promise<void> {
  const file = join(searchCacheDir(root), TABLE);
  const staged = `${file}.${process.pid}`;
  try {
    await writeFile(staged, JSON.stringify({ key, pages: Object.fromEntries(pages) }));
    await rename(staged, file);
  } catch {
    // Left for the next build to look the pages up again.
  }
}
