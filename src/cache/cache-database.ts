import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** One cache table: its name and its value columns, as in `CREATE TABLE` (the `key` and `used` columns are added). */
export interface CacheTable {
  name: string;
  columns: string;
}

/** Entries stored per transaction (a transaction each would cost a disk sync each). */
const BATCH = 64;

/** How long an entry no build has used is kept (an edit leaves the old version behind; switching branches back finds it). */
const KEEP_UNUSED_MS = 14 * 24 * 60 * 60 * 1000;

/** An entry read is marked used again only when its mark is older than this: a build that reads thousands of entries then writes none of them. */
const REMARK_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * A cache's SQLite table of entries by key, opened so that it can never fail
 * a build: WAL with a busy timeout (two builds may share it), NORMAL sync (a
 * power cut may lose the last entries, which are made again, never leave it
 * corrupt), the table dropped when its format version is not this code's, a
 * file that cannot be opened deleted and started empty, and any later error
 * turning the cache off for the rest of the build (every read then misses).
 * Entries are stored a batch per transaction, each whole or not at all; on
 * close the entries read are marked used (when their mark is a day old or
 * more) and those no build used for two weeks are dropped.
 */
export class CacheDatabase {
  private db: Database.Database | undefined;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly usedAt = Date.now();
  /** Keys read in this build, marked used in one transaction at the end. */
  private readonly used: string[] = [];
  /** Keys read whose mark is old enough to be renewed. */
  private readonly stale = new Set<string>();
  private pending: Array<[string, unknown[]]> = [];

  /**
   * Opens (or creates) the database.
   *
   * @param folder The cache's folder (made when missing).
   * @param file   The database file's name in it.
   * @param format The entries' format version (SQLite's `user_version`).
   * @param table  The one table the cache keeps.
   */
  constructor(
    private readonly folder: string,
    private readonly file: string,
    private readonly format: number,
    private readonly table: CacheTable,
  ) {
    this.db = this.open() ?? this.reopenEmpty();
  }

  /**
   * The stored columns of an entry, or `undefined` (none, or the cache is off).
   *
   * @param key     The entry's key.
   * @param columns The columns to read, comma-separated.
   */
  read<T>(key: string, columns: string): T | undefined {
    const row = this.run(() => this.statement(`SELECT ${columns}, used AS used_at FROM ${this.table.name} WHERE key = ?`)?.get(key) as (T & { used_at: number }) | undefined);
    if (!row) return undefined;
    const { used_at: usedAt, ...values } = row;
    if (!(usedAt > this.usedAt - REMARK_AFTER_MS)) this.stale.add(key);
    return values as T;
  }

  /**
   * Notes that an entry read was sound and used, so it is kept.
   *
   * @param key The entry's key.
   */
  markUsed(key: string): void {
    if (this.stale.delete(key)) this.used.push(key);
  }

  /**
   * Stores an entry (replacing any under the same key), with the next batch.
   *
   * @param key    The entry's key.
   * @param values Its value columns, in the table's order.
   */
  store(key: string, values: unknown[]): void {
    this.pending.push([key, values]);
    if (this.pending.length >= BATCH) this.flush();
  }

  /** Stores the entries waiting, so that {@link read} sees them. */
  flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.transaction(() => {
      for (const [key, values] of batch) {
        this.statement(`INSERT OR REPLACE INTO ${this.table.name} VALUES (?, ${values.map(() => '?').join(', ')}, ?)`)?.run(key, ...values, this.usedAt);
      }
    });
  }

  /** Stores what waits, marks the entries read as used, drops those unused for two weeks, and closes the database. */
  close(): void {
    this.flush();
    this.transaction(() => {
      const mark = this.statement(`UPDATE ${this.table.name} SET used = ? WHERE key = ?`);
      for (const key of this.used) mark?.run(this.usedAt, key);
      this.statement(`DELETE FROM ${this.table.name} WHERE used < ?`)?.run(this.usedAt - KEEP_UNUSED_MS);
    });
    this.db?.close();
    this.db = undefined;
  }

  /** Runs `work` in one transaction: an error rolls it back whole and turns the cache off. */
  private transaction(work: () => void): void {
    this.run(() => this.db?.transaction(work)());
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
      db = new Database(join(this.folder, this.file), { timeout: 10_000 });
      // No disk sync while the file is set up: a new database's switch to WAL and its table cost a cold build a dozen
      // fsyncs (5 to 50 ms each on a busy disk). A power cut in that instant leaves at worst a file that cannot be
      // opened, deleted and made again below; an existing database has nothing to set up.
      db.pragma('synchronous = OFF');
      db.pragma('journal_mode = WAL');
      // No memory map (SQLite's default): tried, it read no faster here, and every page it touched stayed in the
      // process's resident memory (65 MiB more at 4,000 posts, up to its size per database at 20,000).
      if (db.pragma('user_version', { simple: true }) !== this.format) {
        db.exec(`DROP TABLE IF EXISTS ${this.table.name}`);
        db.pragma(`user_version = ${this.format}`);
      }
      db.exec(`CREATE TABLE IF NOT EXISTS ${this.table.name} (key TEXT PRIMARY KEY, ${this.table.columns}, used INTEGER NOT NULL)`);
      // Pruning finds the entries unused for two weeks without reading every row.
      db.exec(`CREATE INDEX IF NOT EXISTS ${this.table.name}_used ON ${this.table.name} (used)`);
      db.pragma('synchronous = NORMAL');
      db.prepare(`SELECT key FROM ${this.table.name} LIMIT 1`).get();
      return db;
    } catch {
      db?.close();
      return undefined;
    }
  }

  /** A database file that cannot be opened is not trusted: it is deleted and the cache starts empty. */
  private reopenEmpty(): Database.Database | undefined {
    try {
      for (const name of [this.file, `${this.file}-wal`, `${this.file}-shm`]) rmSync(join(this.folder, name), { force: true });
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
