import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
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
  private db: Database.Database | undefined;
  private readonly folder: string;
  private readonly usedAt = Date.now();
  private readonly statements = new Map<string, Database.Statement>();
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
    this.folder = join(cacheRoot(root), CONTENT_CACHE_DIR);
    this.db = this.open() ?? this.reopenEmpty();
  }

  /**
   * The entry stored under `key`, when there is a sound one.
   *
   * @param key The post's input hash.
   */
  get(key: string): CachedPost | undefined {
    const row = this.run(() => this.statement('SELECT entry FROM posts WHERE key = ?')?.get(key) as { entry: Buffer } | undefined);
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
    const row = this.run(() => this.statement('SELECT feed_html FROM posts WHERE key = ?')?.get(key) as { feed_html: unknown } | undefined);
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
    this.run(() =>
      this.db?.transaction(() => {
        const mark = this.statement('UPDATE posts SET used = ? WHERE key = ?');
        for (const key of this.used) mark?.run(this.usedAt, key);
        this.statement('DELETE FROM posts WHERE used < ?')?.run(this.usedAt - KEEP_UNUSED_MS);
      })(),
    );
    this.db?.close();
    this.db = undefined;
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.run(() =>
      this.db?.transaction(() => {
        const insert = this.statement('INSERT OR REPLACE INTO posts (key, entry, feed_html, used) VALUES (?, ?, ?, ?)');
        for (const [entry, feedHtml] of batch) insert?.run(entry.key, serialize(entry), feedHtml, this.usedAt);
      })(),
    );
  }

  private statement(sql: string): Database.Statement | undefined {
    if (!this.db) return undefined;
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private open(): Database.Database | undefined {
    let db: Database.Database | undefined;
    try {
      mkdirSync(this.folder, { recursive: true });
      db = new Database(join(this.folder, DATABASE), { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      // A cache may lose its last entries to a power cut (they are rendered again), never be left corrupt: WAL with NORMAL sync.
      db.pragma('synchronous = NORMAL');
      if (db.pragma('user_version', { simple: true }) !== CACHED_POST_FORMAT) {
        db.exec('DROP TABLE IF EXISTS posts');
        db.pragma(`user_version = ${CACHED_POST_FORMAT}`);
      }
      db.exec('CREATE TABLE IF NOT EXISTS posts (key TEXT PRIMARY KEY, entry BLOB NOT NULL, feed_html TEXT NOT NULL, used INTEGER NOT NULL)');
      db.prepare('SELECT count(*) FROM posts').get();
      return db;
    } catch {
      db?.close();
      return undefined;
    }
  }

  /** A database file that cannot be opened is not trusted: it is deleted and the cache starts empty. */
  private reopenEmpty(): Database.Database | undefined {
    try {
      for (const name of [DATABASE, `${DATABASE}-wal`, `${DATABASE}-shm`]) rmSync(join(this.folder, name), { force: true });
    } catch {
      return undefined;
    }
    return this.open();
  }

  /** Runs a query; on any database error the cache is turned off (the build goes on without it). */
  private run<T>(query: () => T): T | undefined {
    try {
      return query();
    } catch {
      this.db?.close();
      this.db = undefined;
      this.statements.clear();
      return undefined;
    }
  }
}
