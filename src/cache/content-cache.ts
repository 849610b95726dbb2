import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CacheDatabase } from './cache-database.js';
import { cacheRoot } from './cache-root.js';
import { CACHED_POST_FORMAT, type CachedPost } from './cached-post.js';

/** The content cache's folder under the cache root. */
export const CONTENT_CACHE_DIR = 'content';

const DATABASE = 'posts.sqlite';

/**
 * The content cache of a site (`.sahifa/cache/content/posts.sqlite`): one
 * row per rendered post, keyed by a hash of everything the post's outputs
 * depend on. SQLite makes each entry appear whole or not at all, even when a
 * build is killed mid-write, and lets two builds share it (WAL, busy
 * timeout). Every entry read is checked to be the very bytes this code
 * wrote under its key (see {@link decodeEntry}); a corrupt database file is
 * deleted and started again, and any later error turns the cache off for
 * the rest of the build rather than failing it.
 */
export class ContentCache {
  private readonly db: CacheDatabase;

  /**
   * Opens (or creates) the cache of a site.
   *
   * @param root The site root.
   */
  constructor(root: string) {
    this.db = new CacheDatabase(join(cacheRoot(root), CONTENT_CACHE_DIR), DATABASE, CACHED_POST_FORMAT, { name: 'posts', columns: 'entry TEXT NOT NULL, feed_html TEXT NOT NULL' });
  }

  /**
   * The entry stored under `key`, when there is a sound one.
   *
   * @param key The post's input hash.
   */
  get(key: string): CachedPost | undefined {
    const row = this.db.read<{ entry: unknown }>(key, 'entry');
    const entry = typeof row?.entry === 'string' ? decodeEntry(row.entry, key) : undefined;
    if (entry) this.db.markUsed(key);
    return entry;
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
    this.db.store(entry.key, [encodeEntry(entry), feedHtml]);
  }

  /** Stores the entries waiting, marks the entries read as used, drops those no build has used for a while, and closes the database. */
  close(): void {
    this.db.close();
  }
}

/** An entry as its JSON reads back: the date as text, the ids as a list. */
type StoredEntry = Omit<CachedPost, 'post' | 'references'> & {
  post: Omit<CachedPost['post'], 'date'> & { date: string };
  references: { ids: string[]; links: CachedPost['references']['links'] };
};

/**
 * A cache entry as stored: the SHA-256 of its JSON, a newline, the JSON.
 *
 * @param entry The entry.
 */
export function encodeEntry(entry: CachedPost): string {
  const json = JSON.stringify({ ...entry, references: { ids: [...entry.references.ids], links: entry.references.links } });
  return `${createHash('sha256').update(json).digest('hex')}\n${json}`;
}

/**
 * An entry back from its stored text, or `undefined` unless the text is
 * exactly what {@link encodeEntry} wrote for an entry of this format under
 * this key. Its key holds sahifa's own fingerprint, so an entry whose bytes
 * check out was written by this very code and has its shape: a hash of 3 KB
 * costs a few microseconds, where checking the shape field by field cost
 * more than reading the entry.
 *
 * @param text The stored text.
 * @param key  The key it was stored under.
 */
export function decodeEntry(text: string, key: string): CachedPost | undefined {
  const json = text.slice(65);
  if (text[64] !== '\n' || createHash('sha256').update(json).digest('hex') !== text.slice(0, 64)) return undefined;
  let entry: StoredEntry;
  try {
    entry = JSON.parse(json) as StoredEntry;
  } catch {
    return undefined;
  }
  if (entry?.format !== CACHED_POST_FORMAT || entry.key !== key) return undefined;
  return { ...entry, post: { ...entry.post, date: new Date(entry.post.date) }, references: { ids: new Set(entry.references.ids), links: entry.references.links } };
}
