import type { Statement } from 'better-sqlite3';
import type { SahifaDatabase } from '../send/database.js';

const caches = new WeakMap<SahifaDatabase, Map<string, Statement>>();

/**
 * A prepared statement of `db`, prepared once and kept: the service runs
 * the same few statements on every request, and preparing one costs more
 * than running it.
 *
 * @param db  The database.
 * @param sql The statement's text.
 */
export function statement(db: SahifaDatabase, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}
