import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../src/send/database.js';
import { removeSubscriber, upsertSubscriber } from '../../src/send/subscribers.js';

/** Campaigns × subscribers of the database made before the index (schema 8). */
const CAMPAIGNS = 3;
const SUBSCRIBERS = 50;

describe('deliveries are found by subscriber (schema 9)', () => {
  it('migrates a database with deliveries, keeps them, and removes a subscriber through the index, with their deliveries only', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'sahifa-deliveries-')), 'sahifa.db');
    const old = openDatabase(path, { schemaVersion: 8 });
    for (let index = 0; index < SUBSCRIBERS; index += 1) upsertSubscriber(old, `reader${index}@example.com`);
    for (let campaign = 0; campaign < CAMPAIGNS; campaign += 1) {
      const id = old.prepare("INSERT INTO campaigns (slug, subject, html, text, nonce) VALUES (?, 'عنوان', '<p>نص</p>', 'نص', 'n')").run(`post-${campaign}`).lastInsertRowid;
      old.prepare('INSERT INTO deliveries (campaign_id, subscriber_id) SELECT ?, id FROM subscribers').run(id);
    }
    expect(old.prepare("SELECT name FROM sqlite_master WHERE name = 'deliveries_subscriber'").get()).toBeUndefined();
    old.close();

    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(CAMPAIGNS * SUBSCRIBERS);
    // ON DELETE CASCADE finds the child rows as this query does.
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT 1 FROM deliveries WHERE subscriber_id = ?').all(1) as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toMatch(/USING (COVERING )?INDEX deliveries_subscriber/);

    expect(removeSubscriber(db, 'reader7@example.com')).toBe(true);
    expect(db.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(CAMPAIGNS * (SUBSCRIBERS - 1));
    expect(db.prepare("SELECT count(*) FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email = 'reader8@example.com'").pluck().get()).toBe(CAMPAIGNS);
    db.close();
  });

  it('opens a database whose index a writer already made by hand', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'sahifa-deliveries-')), 'sahifa.db');
    const old = openDatabase(path, { schemaVersion: 8 });
    old.exec('CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id)');
    old.close();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'deliveries_subscriber'").pluck().get()).toBe(1);
    db.close();
  });
});
