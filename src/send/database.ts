import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SiteConfig } from '../config/schema.js';

/** An open sahifa database. */
export type SahifaDatabase = Database.Database;

/**
 * The schema, one migration per version. `PRAGMA user_version` records how
 * many have run; a new version appends a migration and never edits an old one.
 */
const MIGRATIONS: readonly string[] = [
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
  // Version 4: the subscribers' migration (on the subscribers branch); nothing on this branch.
  ``,
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
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Opens (creating when needed) the database at `path` and brings its schema
 * up to date. Write-ahead logging lets `sahifa send --status` read while a
 * send is running; every state change is its own committed transaction, so
 * a killed process loses at most the message in flight.
 *
 * @param path File of the database.
 */
export function openDatabase(path: string): SahifaDatabase {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`${path} was written by a newer sahifa (schema ${version}; this one knows ${SCHEMA_VERSION}): upgrade sahifa`);
  }
  for (let next = version; next < SCHEMA_VERSION; next += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next] ?? '');
      db.pragma(`user_version = ${next + 1}`);
    })();
  }
  return db;
}

/**
 * The database of a site: `database` from its config, relative to its root.
 *
 * @param root   The site root.
 * @param config The site configuration.
 */
export function openSiteDatabase(root: string, config: Pick<SiteConfig, 'database'>): SahifaDatabase {
  return openDatabase(resolve(root, config.database));
}
