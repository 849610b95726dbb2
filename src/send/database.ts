import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SiteConfig } from '../config/schema.js';
import { databaseError } from './database-errors.js';
import { mergeSameAddresses } from './merge-addresses.js';

/** An open sahifa database. */
export type SahifaDatabase = Database.Database;

/** One schema step: SQL text, or a function for a step SQL alone cannot express. */
type Migration = string | ((db: SahifaDatabase) => void);

/**
 * The schema, one migration per version. `PRAGMA user_version` records how
 * many have run; a new version appends a migration and never edits an old one.
 */
const MIGRATIONS: readonly Migration[] = [
  `CREATE TABLE subscribers (
     id INTEGER PRIMARY KEY,
     email TEXT NOT NULL UNIQUE,
     name TEXT,
     lang TEXT,
     state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'unsubscribed', 'bounced')),
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );
   CREATE TABLE campaigns (
     id INTEGER PRIMARY KEY,
     slug TEXT NOT NULL UNIQUE,
     subject TEXT NOT NULL,
     html TEXT NOT NULL,
     text TEXT NOT NULL,
     nonce TEXT NOT NULL,
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     completed_at TEXT
   );
   CREATE TABLE deliveries (
     campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
     subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'retry', 'sent', 'failed', 'unknown', 'skipped')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL DEFAULT 0,
     last_response TEXT,
     sent_at TEXT,
     PRIMARY KEY (campaign_id, subscriber_id)
   );
   CREATE INDEX deliveries_due ON deliveries (campaign_id, state, next_attempt_at);`,
  // Version 2: the process sending a campaign, so that a second `send` of it refuses to start.
  `ALTER TABLE campaigns ADD COLUMN run_pid INTEGER;`,
  // Version 3: Sara@example.com and sara@example.com are one subscriber, as every mailbox provider treats them.
  `CREATE UNIQUE INDEX subscribers_email_nocase ON subscribers (email COLLATE NOCASE);`,
  // Version 4: one key per address beyond ASCII (Özil@ and özil@, composed and decomposed Café); rows that
  // become one are merged.
  (db) => {
    db.exec('ALTER TABLE subscribers ADD COLUMN email_key TEXT');
    mergeSameAddresses(db);
    db.exec('DROP INDEX subscribers_email_nocase; CREATE UNIQUE INDEX subscribers_email_key ON subscribers (email_key);');
  },
  // Version 5: `handed`, a delivery whose whole message the server has but has not yet answered
  // (see runCampaign). SQLite cannot change a CHECK constraint in place, so the table is rebuilt.
  `CREATE TABLE deliveries_v5 (
     campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
     subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'handed', 'retry', 'sent', 'failed', 'unknown', 'skipped')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL DEFAULT 0,
     last_response TEXT,
     sent_at TEXT,
     PRIMARY KEY (campaign_id, subscriber_id)
   );
   INSERT INTO deliveries_v5 (campaign_id, subscriber_id, state, attempts, next_attempt_at, last_response, sent_at)
     SELECT campaign_id, subscriber_id, state, attempts, next_attempt_at, last_response, sent_at FROM deliveries;
   DROP TABLE deliveries;
   ALTER TABLE deliveries_v5 RENAME TO deliveries;
   CREATE INDEX deliveries_due ON deliveries (campaign_id, state, next_attempt_at);`,
  // Version 6 (`sahifa serve`): `pending`, a subscriber who asked on the page and has not yet confirmed by
  // email, and one consent record per request: when, from which page, the wording agreed to, and the
  // nonce its confirmation link carries. The subscribers table is rebuilt for its CHECK constraint.
  `CREATE TABLE subscribers_v6 (
     id INTEGER PRIMARY KEY,
     email TEXT NOT NULL UNIQUE,
     name TEXT,
     lang TEXT,
     state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('pending', 'active', 'unsubscribed', 'bounced')),
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     email_key TEXT
   );
   INSERT INTO subscribers_v6 (id, email, name, lang, state, created_at, updated_at, email_key)
     SELECT id, email, name, lang, state, created_at, updated_at, email_key FROM subscribers;
   DROP TABLE subscribers;
   ALTER TABLE subscribers_v6 RENAME TO subscribers;
   CREATE UNIQUE INDEX subscribers_email_key ON subscribers (email_key);
   CREATE TABLE consents (
     id INTEGER PRIMARY KEY,
     subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
     requested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     page TEXT,
     wording TEXT NOT NULL,
     lang TEXT NOT NULL,
     nonce TEXT NOT NULL UNIQUE,
     confirmed_at TEXT
   );
   CREATE INDEX consents_subscriber ON consents (subscriber_id);`,
  // Version 7 (`sahifa serve`): the outbox of confirmation and welcome emails, written in the same
  // transaction as the request that owes them, so an answer that said "check your inbox" survives a
  // crash; `owner_pid` is the process sending a row, `handed` as in deliveries (version 5).
  `CREATE TABLE outbox (
     id INTEGER PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('confirm', 'welcome')),
     recipient TEXT NOT NULL,
     link TEXT,
     list_id TEXT,
     message_id TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'handed', 'retry', 'sent', 'failed', 'unknown')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL DEFAULT 0,
     owner_pid INTEGER,
     last_response TEXT,
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     sent_at TEXT
   );
   CREATE INDEX outbox_due ON outbox (state, next_attempt_at);`,
  // Version 8 (`sahifa serve`'s subscribe path, each index a write per sign-up): `email` loses its UNIQUE
  // index (`email_key` is the identity since version 4, and the only one queried); a consent points at its
  // wording, stored once in `wordings`, instead of carrying the sentence; its nonce is found through its
  // subscriber (`consents_subscriber`), not through an index of its own. Both tables are rebuilt.
  `CREATE TABLE subscribers_v8 (
     id INTEGER PRIMARY KEY,
     email TEXT NOT NULL,
     name TEXT,
     lang TEXT,
     state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('pending', 'active', 'unsubscribed', 'bounced')),
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     email_key TEXT
   );
   INSERT INTO subscribers_v8 (id, email, name, lang, state, created_at, updated_at, email_key)
     SELECT id, email, name, lang, state, created_at, updated_at, email_key FROM subscribers;
   DROP TABLE subscribers;
   ALTER TABLE subscribers_v8 RENAME TO subscribers;
   CREATE UNIQUE INDEX subscribers_email_key ON subscribers (email_key);
   CREATE TABLE wordings (
     id INTEGER PRIMARY KEY,
     text TEXT NOT NULL UNIQUE
   );
   INSERT INTO wordings (text) SELECT wording FROM consents GROUP BY wording ORDER BY min(id);
   CREATE TABLE consents_v8 (
     id INTEGER PRIMARY KEY,
     subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
     requested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     page TEXT,
     wording_id INTEGER NOT NULL REFERENCES wordings (id),
     lang TEXT NOT NULL,
     nonce TEXT NOT NULL,
     confirmed_at TEXT
   );
   INSERT INTO consents_v8 (id, subscriber_id, requested_at, page, wording_id, lang, nonce, confirmed_at)
     SELECT c.id, c.subscriber_id, c.requested_at, c.page, w.id, c.lang, c.nonce, c.confirmed_at FROM consents c JOIN wordings w ON w.text = c.wording;
   DROP TABLE consents;
   ALTER TABLE consents_v8 RENAME TO consents;
   CREATE INDEX consents_subscriber ON consents (subscriber_id);`,
  // Version 9: deliveries found by subscriber. Removing a subscriber (`subscribers remove`, a merge of two
  // addresses) deletes their deliveries through `ON DELETE CASCADE`, which without this index read every
  // delivery of every campaign once per subscriber removed. `IF NOT EXISTS`: a writer who met that may have
  // made the index by hand.
  `CREATE INDEX IF NOT EXISTS deliveries_subscriber ON deliveries (subscriber_id);`,
];

/**
 * Migrations (by index) that rebuild a table other tables point at: they run
 * with foreign keys off, or dropping the old table would cascade into those
 * rows. The others keep them on, as they were written for.
 */
const REBUILDS_WITH_REFERENCES = new Set([5, 7]);

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * How long a statement waits for another process's write to finish before
 * failing with SQLITE_BUSY, in milliseconds: longer than any transaction
 * sahifa holds (a send commits each delivery on its own).
 */
export const BUSY_TIMEOUT_MS = 30_000;

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** Stop migrating at this schema version (tests make old databases with it). */
  schemaVersion?: number;
  /** Milliseconds a statement waits for a lock; default {@link BUSY_TIMEOUT_MS}. */
  busyTimeout?: number;
}

/**
 * Opens (creating when needed) the database at `path` and brings its schema
 * up to date. Write-ahead logging lets `sahifa send --status` and the
 * unsubscribe server read while a send is running; every state change is its
 * own committed transaction, so a killed process loses at most the message
 * in flight.
 *
 * @param path    File of the database.
 * @param options Schema version and lock wait.
 * @throws {Error} one line naming the file and what to do, when it cannot be
 *   created, written or read as a database.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SahifaDatabase {
  const target = options.schemaVersion ?? SCHEMA_VERSION;
  let db: SahifaDatabase | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma(`busy_timeout = ${options.busyTimeout ?? BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`${path} was written by a newer sahifa (schema ${version}; this one knows ${SCHEMA_VERSION}): upgrade sahifa`);
    }
    for (let next = version; next < target; next += 1) migrate(db, next);
    return db;
  } catch (error) {
    db?.close();
    throw databaseError(path, error);
  }
}

/**
 * Runs migration `index` and records it, in one transaction. For a rebuild
 * (see {@link REBUILDS_WITH_REFERENCES}) foreign keys are off meanwhile
 * (SQLite ignores the pragma inside a transaction) and checked before the
 * commit instead.
 */
function migrate(db: SahifaDatabase, index: number): void {
  if (REBUILDS_WITH_REFERENCES.has(index)) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      const step = MIGRATIONS[index];
      if (typeof step === 'function') step(db);
      else db.exec(step ?? '');
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`schema step ${index + 1} left ${broken.length} rows pointing at nothing; nothing was changed`);
      db.pragma(`user_version = ${index + 1}`);
    })();
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/**
 * The file of a site's database: `database` from its config, relative to its root.
 *
 * @param root   The site root.
 * @param config The site configuration.
 */
export function siteDatabasePath(root: string, config: Pick<SiteConfig, 'database'>): string {
  return resolve(root, config.database);
}

/**
 * Opens the database of a site ({@link siteDatabasePath}).
 *
 * @param root   The site root.
 * @param config The site configuration.
 * @param options How long to wait for another process's lock.
 */
export function openSiteDatabase(root: string, config: Pick<SiteConfig, 'database'>, options: Pick<OpenDatabaseOptions, 'busyTimeout'> = {}): SahifaDatabase {
  return openDatabase(siteDatabasePath(root, config), options);
}
