import Database from 'better-sqlite3';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addressKey } from '../../src/send/address.js';
import { openDatabase, SCHEMA_VERSION, type SahifaDatabase } from '../../src/send/database.js';
import { findSubscriber, removeSubscriber, upsertSubscriber } from '../../src/send/subscribers.js';
import { enqueueConfirmation } from '../../src/serve/outbox/store.js';
import { confirmSubscription, requestSubscription } from '../../src/serve/subscriptions.js';

const open: SahifaDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

async function databasePath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'sahifa-lean-schema-')), 'sahifa.db');
}

function opened(path: string, schemaVersion?: number): SahifaDatabase {
  const db = openDatabase(path, schemaVersion === undefined ? {} : { schemaVersion });
  open.push(db);
  return db;
}

const ARABIC = 'اشترك للحصول على أحدث التدوينات المرسلة إلى بريدك الإلكتروني.';
const ENGLISH = 'Subscribe to get the latest posts sent to your email.';

/** The consents as a reader sees them: the wording's text through its reference. */
const consentsOf = (db: SahifaDatabase) =>
  db.prepare('SELECT c.id, c.subscriber_id AS subscriber, c.requested_at AS requestedAt, c.page, w.text AS wording, c.lang, c.nonce, c.confirmed_at AS confirmedAt FROM consents c JOIN wordings w ON w.id = c.wording_id ORDER BY c.id').all();

/** The indexes a table keeps (each one a b-tree written by every insert into it). */
const indexesOf = (db: SahifaDatabase, table: string) => (db.prepare('SELECT name FROM pragma_index_list(?) ORDER BY name').pluck().all(table) as string[]);

describe('issue 11: the subscribe path writes fewer indexes (schema 8)', () => {
  it('migrates a schema 7 database: subscribers, consents, deliveries and the outbox keep every row and link; each wording is stored once', async () => {
    const path = await databasePath();
    const old = opened(path, 7);
    const insertConsent = old.prepare('INSERT INTO consents (subscriber_id, requested_at, page, wording, lang, nonce, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    upsertSubscriber(old, 'active@example.com', { name: 'نشط', lang: 'ar' });
    const active = findSubscriber(old, 'active@example.com')!.id;
    const pending = Number(old.prepare("INSERT INTO subscribers (email, email_key, lang, state) VALUES ('Pending@Example.com', ?, 'en', 'pending')").run(addressKey('Pending@Example.com')).lastInsertRowid);
    insertConsent.run(active, '2025-01-01T00:00:00.000Z', 'https://example.org/talks/', ARABIC, 'ar', '0001old-nonce-a', '2025-01-01T01:00:00.000Z');
    insertConsent.run(pending, '2025-02-01T00:00:00.000Z', null, ENGLISH, 'en', '0002old-nonce-b', null);
    insertConsent.run(pending, '2025-03-01T00:00:00.000Z', 'https://example.org/', ENGLISH, 'en', '0003old-nonce-c', null);
    insertConsent.run(active, '2025-04-01T00:00:00.000Z', null, ARABIC, 'ar', '0004old-nonce-d', null);
    const campaign = Number(old.prepare("INSERT INTO campaigns (slug, subject, html, text, nonce) VALUES ('first', 's', 'h', 't', 'n')").run().lastInsertRowid);
    old.prepare("INSERT INTO deliveries (campaign_id, subscriber_id, state, sent_at) VALUES (?, ?, 'sent', '2025-05-01T00:00:00.000Z')").run(campaign, active);
    enqueueConfirmation(old, 'Pending@Example.com', '0003old-nonce-c', 1_900_000_000, 'example.org');
    const before = {
      subscribers: old.prepare('SELECT * FROM subscribers ORDER BY id').all(),
      deliveries: old.prepare('SELECT * FROM deliveries').all(),
      outbox: old.prepare('SELECT * FROM outbox').all(),
      consents: old.prepare('SELECT id, subscriber_id AS subscriber, requested_at AS requestedAt, page, wording, lang, nonce, confirmed_at AS confirmedAt FROM consents ORDER BY id').all(),
    };
    old.close();
    open.splice(open.indexOf(old), 1);

    const db = opened(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT * FROM subscribers ORDER BY id').all()).toEqual(before.subscribers);
    expect(db.prepare('SELECT * FROM deliveries').all()).toEqual(before.deliveries);
    expect(db.prepare('SELECT * FROM outbox').all()).toEqual(before.outbox);
    expect(consentsOf(db)).toEqual(before.consents);
    expect(db.prepare('SELECT text FROM wordings ORDER BY id').pluck().all()).toEqual([ARABIC, ENGLISH]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // One index per table on the subscribe path (the wordings' is read, not written, once the sentence is stored).
    expect(indexesOf(db, 'subscribers')).toEqual(['subscribers_email_key']);
    expect(indexesOf(db, 'consents')).toEqual(['consents_subscriber']);
    expect(indexesOf(db, 'outbox')).toEqual(['outbox_due']);
  });

  it('confirms a link made before the migration, and finds a nonce through its subscriber only', async () => {
    const path = await databasePath();
    const old = opened(path, 7);
    const recorded = old.transaction(() => requestSubscriptionV7(old, 'reader@example.com'))();
    old.close();
    open.splice(open.indexOf(old), 1);
    const db = opened(path);
    // Another address's link with this nonce is not this reader's.
    expect(confirmSubscription(db, 'someone@example.com', recorded)).toBe('invalid');
    expect(confirmSubscription(db, 'reader@example.com', 'not-the-nonce')).toBe('invalid');
    expect(confirmSubscription(db, 'reader@example.com', recorded)).toBe('confirmed');
    expect(confirmSubscription(db, 'reader@example.com', recorded)).toBe('already');
    // The query of confirmSubscription.
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT c.id AS consent, c.confirmed_at AS confirmedAt, s.id AS subscriber, s.state AS state FROM consents c JOIN subscribers s ON s.id = c.subscriber_id WHERE c.nonce = @nonce AND s.email_key = @key')
      .all({ nonce: recorded, key: 'reader@example.com' }) as Array<{ detail: string }>;
    expect(plan.map((step) => step.detail)).toEqual(['SEARCH s USING INDEX subscribers_email_key (email_key=?)', 'SEARCH c USING INDEX consents_subscriber (subscriber_id=?)']);
  });

  it('stores a wording once however many sign-ups agree to it; a new wording gets a row; a removed subscriber takes their consents along', async () => {
    const db = opened(await databasePath());
    const sign = (address: string, wording: string) => db.transaction(() => requestSubscription(db, address, { wording, lang: 'ar', page: 'https://example.org/' }))();
    for (let i = 0; i < 5; i += 1) sign(`reader${i}@example.com`, ARABIC);
    sign('reader0@example.com', ARABIC);
    sign('other@example.com', ENGLISH);
    expect(db.prepare('SELECT text FROM wordings ORDER BY id').pluck().all()).toEqual([ARABIC, ENGLISH]);
    expect(db.prepare('SELECT count(*) FROM consents').pluck().get()).toBe(7);
    // A wording added in a transaction that is rolled back leaves nothing behind, and the next sign-up adds it again.
    const failing = db.transaction(() => {
      requestSubscription(db, 'late@example.com', { wording: 'جملة جديدة', lang: 'ar' });
      throw new Error('rolled back');
    });
    expect(() => failing()).toThrow('rolled back');
    expect(db.prepare('SELECT count(*) FROM wordings').pluck().get()).toBe(2);
    sign('late@example.com', 'جملة جديدة');
    expect(consentsOf(db).at(-1)).toMatchObject({ wording: 'جملة جديدة' });
    expect(removeSubscriber(db, 'reader0@example.com')).toBe(true);
    expect(db.prepare('SELECT count(*) FROM consents').pluck().get()).toBe(6);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('keeps one subscriber per address without the index on email: the same mailbox in another case is refused', async () => {
    const db = opened(await databasePath());
    upsertSubscriber(db, 'Sara@example.com');
    expect(() => db.prepare("INSERT INTO subscribers (email, email_key) VALUES ('sara@EXAMPLE.com', ?)").run(addressKey('sara@EXAMPLE.com'))).toThrow(/UNIQUE/);
    expect(upsertSubscriber(db, 'sara@EXAMPLE.com', { name: 'Sara' })).toBe('updated');
    expect(db.prepare('SELECT count(*) FROM subscribers').pluck().get()).toBe(1);
  });
});

/** A sign-up as schema 7 recorded it (the wording in the row), returning its nonce. */
function requestSubscriptionV7(db: Database.Database, address: string): string {
  const id = Number(db.prepare("INSERT INTO subscribers (email, email_key, lang, state) VALUES (?, ?, 'ar', 'pending')").run(address, addressKey(address)).lastInsertRowid);
  const nonce = '00019a0b0c0dold-random-part';
  db.prepare("INSERT INTO consents (subscriber_id, wording, lang, nonce) VALUES (?, ?, 'ar', ?)").run(id, ARABIC, nonce);
  return nonce;
}
