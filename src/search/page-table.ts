import { join } from 'node:path';
import { readKeyedJson, writeKeyedJson } from '../cache/keyed-json.js';
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
 * at its record.
 *
 * @param root The site root.
 * @param key  What the table's answers depend on (sahifa's code and the record format).
 */
export async function readPageTable(root: string, key: string): Promise<Map<string, PageEntry>> {
  const table = new Map<string, PageEntry>();
  const pages = await readKeyedJson(join(searchCacheDir(root), TABLE), key);
  if (typeof pages !== 'object' || pages === null) return table;
  for (const [path, entry] of Object.entries(pages)) if (isEntry(entry)) table.set(path, entry);
  return table;
}

/**
 * Keeps the table of this build's blog pages for the next build.
 *
 * @param root  The site root.
 * @param key   As for {@link readPageTable}.
 * @param pages Each page's entry, by path.
 */
export async function writePageTable(root: string, key: string, pages: ReadonlyMap<string, PageEntry>): Promise<void> {
  await writeKeyedJson(join(searchCacheDir(root), TABLE), key, Object.fromEntries(pages));
}
