import { createHash } from 'node:crypto';
import { CacheDatabase } from '../cache/cache-database.js';
import { cacheRoot, sahifaFingerprint } from '../cache/cache-root.js';
import { join } from 'node:path';
import type { PageRecord } from './page-record.js';

const DATABASE = 'records.sqlite';
/** Bumped when a stored record changes shape. */
const FORMAT = 1;
/**
 * What the search index learned of each page, by the page's SHA-256
 * (`.sahifa/cache/search-records/records.sqlite`, beside the index's own folder, which keeps only the last index), so that a build parses only the
 * pages whose bytes changed: reading a record from a page costs a full HTML
 * parse (about 1.1–1.4 ms a post's page), reading it back from here a row. A page with no
 * `data-pagefind-body` is stored as `null`, so it is not read again either.
 * Keys include sahifa's code, so a new reader never trusts an old record.
 */
export class RecordCache {
  private readonly db: CacheDatabase;

  private constructor(
    root: string,
    private readonly code: string,
  ) {
    this.db = new CacheDatabase(join(cacheRoot(root), 'search-records'), DATABASE, FORMAT, { name: 'records', columns: 'record TEXT NOT NULL' });
  }

  /**
   * Opens (or creates) the record cache of a site.
   *
   * @param root The site root.
   */
  static async open(root: string): Promise<RecordCache> {
    return new RecordCache(root, await sahifaFingerprint());
  }

  /**
   * The record of a page with these bytes: the record, `null` for a page
   * that is not indexed, `undefined` when none is stored (or a stored one is
   * not sound).
   *
   * @param sha256 The page's SHA-256 (hex).
   */
  get(sha256: string): PageRecord | null | undefined {
    const key = this.key(sha256);
    const row = this.db.read<{ record: string }>(key, 'record');
    if (!row) return undefined;
    let record: unknown;
    try {
      record = JSON.parse(row.record);
    } catch {
      return undefined;
    }
    if (record !== null && !isPageRecord(record)) return undefined;
    this.db.markUsed(key);
    return record;
  }

  /**
   * Whether a page with these bytes has a record in the index, as stored,
   * without reading the record into memory (`undefined` when none is
   * stored). A damaged record counts as indexed: the page is then read again
   * when its part of the index is made, and {@link get} finds the damage.
   *
   * @param sha256 The page's SHA-256 (hex).
   */
  indexed(sha256: string): boolean | undefined {
    const key = this.key(sha256);
    const row = this.db.read<{ indexed: number }>(key, "record != 'null' AS indexed");
    if (!row) return undefined;
    this.db.markUsed(key);
    return row.indexed === 1;
  }

  /**
   * Stores the record of a page with these bytes.
   *
   * @param sha256 The page's SHA-256 (hex).
   * @param record Its record, or `null` when it is not indexed.
   */
  put(sha256: string, record: PageRecord | null): void {
    this.db.store(this.key(sha256), [JSON.stringify(record)]);
  }

  /** Stores what waits, so that {@link get} sees it. */
  flush(): void {
    this.db.flush();
  }

  /** Stores what waits, marks the records read as used, drops those unused for two weeks, and closes the database. */
  close(): void {
    this.db.close();
  }

  private key(sha256: string): string {
    return createHash('sha256').update(`${this.code}\0${sha256}`).digest('hex');
  }
}

function isPageRecord(value: unknown): value is PageRecord {
  const record = value as Partial<PageRecord> | null;
  const strings = (object: unknown, check: (item: unknown) => boolean) => typeof object === 'object' && object !== null && !Array.isArray(object) && Object.values(object).every(check);
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.lang === 'string' &&
    typeof record.text === 'string' &&
    strings(record.meta, (item) => typeof item === 'string') &&
    strings(record.filters, (item) => Array.isArray(item) && item.every((entry) => typeof entry === 'string'))
  );
}
