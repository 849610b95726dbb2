import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressKey, normalizeAddress } from '../../src/send/address.js';
import { importCsv } from '../../src/send/csv.js';
import { openDatabase, SCHEMA_VERSION } from '../../src/send/database.js';
import { loadConfig } from '../../src/config/load-config.js';
import { unsubscribeUrl } from '../../src/send/unsubscribe.js';
import { startUnsubscribeServer } from '../../src/serve/unsubscribe-server.js';
import { copyFixture } from '../helpers/site.js';
import { findSubscriber, listSubscribers, removeSubscriber, setSubscriberState, upsertSubscriber } from '../../src/send/subscribers.js';

async function databasePath() {
  return join(await mkdtemp(join(tmpdir(), 'sahifa-issue-9-')), 'sahifa.db');
}

/** Pairs that name one mailbox: case beyond ASCII, and composed against decomposed letters. */
const SAME = [
  ['Özil@example.com', 'özil@example.com'],
  ['Café@example.com', 'Cafe\u0301@example.com'],
  ['CAFÉ@example.com', 'cafe\u0301@example.com'],
  ['ΟΔΟΣ@example.com', 'οδος@example.com'],
  ['ДМИТРИЙ@example.com', 'дмитрий@example.com'],
  ['STRASSE@example.com', 'straße@example.com'],
  ['Sara@EXAMPLE.com', 'sara@example.com'],
] as const;

/** The normal form of an address the test knows to be valid. */
function normal(input: string): string {
  const checked = normalizeAddress(input);
  if (!checked.ok) throw new Error(checked.reason);
  return checked.address;
}

describe('issue 9: Unicode addresses that differ in case or composition are one subscriber', () => {
  it('gives each pair one key and keeps different letters apart', () => {
    for (const [a, b] of SAME) {
      const [left, right] = [normalizeAddress(a), normalizeAddress(b)];
      if (!left.ok || !right.ok) throw new Error(`${a} or ${b} refused`);
      expect(addressKey(left.address), `${a} / ${b}`).toBe(addressKey(right.address));
    }
    expect(addressKey('ozil@example.com')).not.toBe(addressKey('özil@example.com'));
    expect(addressKey('cafe@example.com')).not.toBe(addressKey('café@example.com'));
    expect(normalizeAddress('Cafe\u0301@example.com')).toEqual({ ok: true, address: 'Café@example.com' });
  });

  it('adds, finds, unsubscribes and removes through any spelling of the pair', async () => {
    const db = openDatabase(await databasePath());
    const pairs = SAME.filter(([first]) => first !== 'CAFÉ@example.com');
    for (const [first, second] of pairs) {
      expect(upsertSubscriber(db, normal(first))).toBe('added');
      expect(upsertSubscriber(db, normal(second), { name: 'x' })).toBe('updated');
      expect(findSubscriber(db, normal(second))?.email).toBe(normal(first));
    }
    expect(upsertSubscriber(db, normal('CAFÉ@example.com'))).toBe('unchanged');
    expect(listSubscribers(db)).toHaveLength(pairs.length);
    expect(setSubscriberState(db, 'özil@example.com', 'unsubscribed')).toBe(true);
    expect(findSubscriber(db, 'Özil@example.com')?.state).toBe('unsubscribed');
    expect(removeSubscriber(db, 'οδος@example.com')).toBe(true);
    expect(findSubscriber(db, 'ΟΔΟΣ@example.com')).toBeUndefined();
    db.close();
  });

  it('merges such rows from an import into one', async () => {
    const db = openDatabase(await databasePath());
    const report = importCsv(db, `email,name,state\nÖzil@example.com,Mesut,\nözil@example.com,,unsubscribed\nCafe\u0301@example.com,,\ncafé@example.com,Café,\n`);
    expect(report).toMatchObject({ added: 2, updated: 2, bad: [] });
    expect(listSubscribers(db).map(({ email, name, state }) => [email, name, state])).toEqual([
      ['Özil@example.com', 'Mesut', 'unsubscribed'],
      ['Café@example.com', 'Café', 'active'],
    ]);
    db.close();
  });

  it('migrates a database made by schema 3: rows that become one are merged, the most restrictive state wins, deliveries are kept', async () => {
    const path = await databasePath();
    const old = openDatabase(path, { schemaVersion: 3 });
    expect(old.pragma('user_version', { simple: true })).toBe(3);
    const insert = old.prepare('INSERT INTO subscribers (email, name, lang, state, created_at) VALUES (?, ?, ?, ?, ?)');
    const ids = [
      insert.run('Özil@example.com', null, 'de', 'active', '2024-02-01T00:00:00.000Z'),
      insert.run('özil@example.com', 'Mesut', null, 'unsubscribed', '2024-01-01T00:00:00.000Z'),
      insert.run('Cafe\u0301@example.com', 'Old spelling', null, 'bounced', '2024-03-01T00:00:00.000Z'),
      insert.run('café@example.com', null, 'fr', 'active', '2024-04-01T00:00:00.000Z'),
      insert.run('alone@example.com', 'Alone', 'ar', 'active', '2024-05-01T00:00:00.000Z'),
    ].map((result) => Number(result.lastInsertRowid));
    const campaign = (slug: string) =>
      Number(old.prepare("INSERT INTO campaigns (slug, subject, html, text, nonce) VALUES (?, 's', 'h', 't', 'n')").run(slug).lastInsertRowid);
    const [first, second] = [campaign('first'), campaign('second')];
    const deliver = old.prepare('INSERT INTO deliveries (campaign_id, subscriber_id, state, sent_at) VALUES (?, ?, ?, ?)');
    deliver.run(first, ids[0], 'pending', null);
    deliver.run(first, ids[1], 'sent', '2024-06-01T00:00:00.000Z');
    deliver.run(second, ids[1], 'sent', '2024-07-01T00:00:00.000Z');
    deliver.run(first, ids[2], 'unknown', null);
    deliver.run(first, ids[3], 'failed', null);
    deliver.run(first, ids[4], 'sent', '2024-06-01T00:00:00.000Z');
    old.close();

    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(listSubscribers(db).map(({ id, email, name, lang, state, created_at }) => ({ id, email, name, lang, state, created_at }))).toEqual([
      { id: ids[0], email: 'Özil@example.com', name: 'Mesut', lang: 'de', state: 'unsubscribed', created_at: '2024-01-01T00:00:00.000Z' },
      { id: ids[2], email: 'Café@example.com', name: 'Old spelling', lang: 'fr', state: 'bounced', created_at: '2024-03-01T00:00:00.000Z' },
      { id: ids[4], email: 'alone@example.com', name: 'Alone', lang: 'ar', state: 'active', created_at: '2024-05-01T00:00:00.000Z' },
    ]);
    const deliveries = db.prepare('SELECT campaign_id, subscriber_id, state, sent_at FROM deliveries ORDER BY subscriber_id, campaign_id').all();
    expect(deliveries).toEqual([
      { campaign_id: first, subscriber_id: ids[0], state: 'sent', sent_at: '2024-06-01T00:00:00.000Z' },
      { campaign_id: second, subscriber_id: ids[0], state: 'sent', sent_at: '2024-07-01T00:00:00.000Z' },
      { campaign_id: first, subscriber_id: ids[2], state: 'unknown', sent_at: null },
      { campaign_id: first, subscriber_id: ids[4], state: 'sent', sent_at: '2024-06-01T00:00:00.000Z' },
    ]);
    expect(findSubscriber(db, 'ÖZIL@example.com')?.id).toBe(ids[0]);
    expect(findSubscriber(db, 'CAFÉ@example.com')?.id).toBe(ids[2]);
    expect(() => db.prepare("INSERT INTO subscribers (email, email_key) VALUES ('other@example.com', 'özil@example.com')").run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('unsubscribes the merged subscriber from a link sent to either spelling, composed or not', async () => {
    const root = await copyFixture('send-site');
    const config = await loadConfig(root);
    const db = openDatabase(join(root, config.database));
    upsertSubscriber(db, 'Özil@example.com');
    upsertSubscriber(db, 'Café@example.com');
    const server = await startUnsubscribeServer({ db, config, secret: 'unicode-secret-of-at-least-32-bytes', port: 0 });
    try {
      for (const signed of ['özil@example.com', 'Cafe\u0301@example.com']) {
        const link = new URL(unsubscribeUrl('https://example.org/unsubscribe', 'unicode-secret-of-at-least-32-bytes', signed, 'newsletter.example.org'));
        const answer = await fetch(new URL(`${link.pathname}${link.search}`, server.url), { method: 'POST', body: 'List-Unsubscribe=One-Click' });
        expect(answer.status, signed).toBe(200);
      }
      expect(listSubscribers(db).map(({ email, state }) => [email, state])).toEqual([
        ['Özil@example.com', 'unsubscribed'],
        ['Café@example.com', 'unsubscribed'],
      ]);
    } finally {
      await server.close();
      db.close();
    }
  });
});
