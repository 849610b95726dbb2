import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { CacheDatabase } from './cache-database.js';
import { cacheRoot } from './cache-root.js';
import { CACHED_POST_FORMAT, cachedPostSchema, type CachedPost } from './cached-post.js';

/** The content cache's folder under the cache root. */
export const CONTENT_CACHE_DIR = 'content';

const DATABASE = 'posts.sqlite';

/** Entries stored per transaction. */
const BATCH = 64;

/** How long an entry no build has used is kept (an edit leaves the old version behind; switching branches back finds it). */
const KEEP_UNUSED_MS = 14 * 24 * 60 * 60 * 1000;

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
  private readonly usedAt = Date.now();
  /** Keys read in this build, marked used in one transaction at the end. */
  private readonly used: string[] = [];
  /** Entries waiting to be stored, written a batch per transaction (a transaction each would cost a disk sync each). */
  private pending: Array<[CachedPost, string]> = [];

  /**
   * Opens (or creates) the cache of a site.
   *
   * @param root The site root.
   */
  constructor(root: string) {
    this.db = new CacheDatabase(join(cacheRoot(root), CONTENT_CACHE_DIR), DATABASE, CACHED_POST_FORMAT, {
      name: 'posts',
      columns: 'key TEXT PRIMARY KEY, entry BLOB NOT NULL, feed_html TEXT NOT NULL, used INTEGER NOT NULL',
    });
  }

  /**
   * The entry stored under `key`, when there is a sound one.
   *
   * @param key The post's input hash.
   */
  get(key: string): CachedPost | undefined {
    const row = this.db.query('SELECT entry FROM posts WHERE key = ?', (select) => select.get(key) as { entry: Buffer } | undefined);
    if (!row) return undefined;
    let value: unknown;
    try {
      value = deserialize(row.entry);
    } catch {
      return undefined;
    }
    const parsed = cachedPostSchema.safeParse(value);
    if (!parsed.success || parsed.data.key !== key) return undefined;
    this.used.push(key);
    return parsed.data;
  }

  /**
   * The feed HTML stored with an entry.
   *
   * @param key The post's input hash.
   */
  feedHtml(key: string): string | undefined {
    const row = this.db.query('SELECT feed_html FROM posts WHERE key = ?', (select) => select.get(key) as { feed_html: unknown } | undefined);
    return typeof row?.feed_html === 'string' ? row.feed_html : undefined;
  }

  /**
   * Stores a post's entry (replacing any under the same key).
   *
   * @param entry    The entry.
   * @param feedHtml The post's body as feeds show it.
   */
  put(entry: CachedPost, feedHtml: string): void {
    this.pending.push([entry, feedHtml]);
    if (this.pending.length >= BATCH) this.flush();
  }

  /** Stores the entries waiting, marks the entries read as used, drops those no build has used for a while, and closes the database. */
  close(): void {
    this.flush();
    this.db.transaction(() => {
      for (const key of this.used) this.db.query('UPDATE posts SET used = ? WHERE key = ?', (mark) => mark.run(this.usedAt, key));
      this.db.query('DELETE FROM posts WHERE used < ?', (drop) => drop.run(this.usedAt - KEEP_UNUSED_MS));
    });
    this.db.close();
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.db.transaction(() => {
      for (const [entry, feedHtml] of batch) {
        this.db.query('INSERT OR REPLACE INTO posts (key, entry, feed_html, used) VALUES (?, ?, ?, ?)', (insert) => insert.run(entry.key, serialize(entry), feedHtml, this.usedAt));
      }
    });
  }
}
