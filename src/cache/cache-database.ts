import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** One table of a cache database: its name and its columns, as in `CREATE TABLE`. */
export interface CacheTable {
  name: string;
  columns: string;
}

/**
 * A cache's SQLite database, opened so that it can never fail a build: WAL
 * with a busy timeout (two builds may share it), NORMAL sync (a power cut may
 * lose the last entries, which are made again, never leave it corrupt), the
 * table dropped when its format version is not this code's, a file that
 * cannot be opened deleted and started empty, and any later error turning
 * the database off for the rest of the build (every query then answers
 * `undefined`, as a cache miss).
 */
export class CacheDatabase {
  private db: Database.Database | undefined;
  private readonly statements = new Map<string, Database.Statement>();
  private inTransaction = false;

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
   * Runs a query against a prepared statement; `undefined` once the database is off.
   *
   * @param sql   The statement (prepared once, then reused).
   * @param query What to do with it.
   */
  query<T>(sql: string, query: (statement: Database.Statement) => T): T | undefined {
    const attempt = () => {
      if (!this.db) return undefined;
      let statement = this.statements.get(sql);
      if (!statement) {
        statement = this.db.prepare(sql);
        this.statements.set(sql, statement);
      }
      return query(statement);
    };
    // Inside a transaction an error must reach it, so that it rolls back before the database is turned off.
    return this.inTransaction ? attempt() : this.run(attempt);
  }

  /**
   * Runs `work` in one transaction (one disk sync for all its writes); on an
   * error it is rolled back whole and the database turned off.
   *
   * @param work The queries, through {@link query}.
   */
  transaction(work: () => void): void {
    this.run(() => {
      this.inTransaction = true;
      try {
        this.db?.transaction(work)();
      } finally {
        this.inTransaction = false;
      }
    });
  }

  /** Closes the database. */
  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  private open(): Database.Database | undefined {
    let db: Database.Database | undefined;
    try {
      mkdirSync(this.folder, { recursive: true });
      db = new Database(join(this.folder, this.file), { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      if (db.pragma('user_version', { simple: true }) !== this.format) {
        db.exec(`DROP TABLE IF EXISTS ${this.table.name}`);
        db.pragma(`user_version = ${this.format}`);
      }
      db.exec(`CREATE TABLE IF NOT EXISTS ${this.table.name} (${this.table.columns})`);
      db.prepare(`SELECT count(*) FROM ${this.table.name}`).get();
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

  /** Runs a query; on any database error the database is turned off (the build goes on without it). */
  private run<T>(query: () => T): T | undefined {
    try {
      return query();
    } catch {
      this.close();
      this.statements.clear();
      return undefined;
    }
  }
}
