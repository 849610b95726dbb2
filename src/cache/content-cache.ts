import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { CacheDatabase } from './cache-database.js';
import { cacheRoot } from './cache-root.js';
import { CACHED_POST_FORMAT, cachedPostSchema, type CachedPost } from './cached-post.js';

/** The content cache's folder under the cache root. */
export const CONTENT_CACHE_DIR = 'content';

const DATABASE = 'posts.sqlite';

/**
 * The content cache of a site (`.sahifa/cache/content/posts.sqlite`): one
 * row per rendered post, keyed by a hash of everything the post's outputs
 * depend on. SQLite makes each entry appear whole or not at all, even when a
 * build is killed mid-write, and lets two builds share it (WAL, busy
 * timeout). Every entry read is checked against its shape and format; a
 * corrupt database file is deleted and started again, and any later error
 * turns the cache off for the rest of the build rather than failing it.
 */
export class ContentCache {
  private readonly db: CacheDatabase;

  /**
   * Opens (or creates) the cache of a site.
   *
   * @param root The site root.
   */
  constructor(root: string) {
    this.db = new CacheDatabase(join(cacheRoot(root), CONTENT_CACHE_DIR), DATABASE, CACHED_POST_FORMAT, { name: 'posts', columns: 'entry BLOB NOT NULL, feed_html TEXT NOT NULL' });
  }

  /**
   * The entry stored under `key`, when there is a sound one.
   *
   * @param key The post's input hash.
   */
  get(key: string): CachedPost | undefined {
    const row = this.db.read<{ entry: Buffer }>(key, 'entry');
    if (!row) return undefined;
    let value: unknown;
    try {
      value = deserialize(row.entry);
    } catch {
      return undefined;
    }
    const parsed = cachedPostSchema.safeParse(value);
    if (!parsed.success || parsed.data.key !== key) return undefined;
    this.db.markUsed(key);
    return parsed.data;
  }

  /**
   * The feed HTML stored with an entry.
   *
   * @param key The post's input hash.
   */
  feedHtml(key: string): string | undefined {
    const row = this.db.read<{ feed_html: unknown }>(key, 'feed_html');
    return typeof row?.feed_html === 'string' ? row.feed_html : undefined;
  }

  /**
   * Stores a post's entry (replacing any under the same key).
   *
   * @param entry    The entry.
   * @param feedHtml The post's body as feeds show it.
   */
  put(entry: CachedPost, feedHtml: string): void {
    this.db.store(entry.key, [serialize(entry), feedHtml]);
  }

  /** Stores the entries waiting, marks the entries read as used, drops those no build has used for a while, and closes the database. */
  close(): void {
    this.db.close();
  }
}
