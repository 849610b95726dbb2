import { join } from 'node:path';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../src/send/address.js';
import { exportCsv, importCsv } from '../../src/send/csv.js';
import { openDatabase, SCHEMA_VERSION } from '../../src/send/database.js';
import { listSubscribers, setSubscriberState, upsertSubscriber } from '../../src/send/subscribers.js';
import { headerText } from '../../src/render/email/subject.js';
import { FIXTURES } from '../helpers/site.js';

async function freshDatabase() {
  return openDatabase(join(await mkdtemp(join(tmpdir(), 'sahifa-db-')), 'nested', 'sahifa.db'));
}

describe('addresses (issue 4)', () => {
  it('are normalised: white space, case of the domain, internationalised domains', () => {
    expect(normalizeAddress('  Sara@EXAMPLE.Com ')).toEqual({ ok: true, address: 'Sara@example.com' });
    expect(normalizeAddress('x@XN--MGBH0FB.XN--MGBERP4A5D4AR')).toEqual({ ok: true, address: 'x@مثال.السعودية' });
    expect(normalizeAddress('x@مثال.السعودية')).toEqual({ ok: true, address: 'x@مثال.السعودية' });
  });

  it('refuse what is no address, with a reason', () => {
    for (const bad of ['', 'plain', 'a@', '@b.com', 'a b@c.com', 'a@b', 'a@b.com\r\nBcc: x@y.com', 'a@-bad-.com']) {
      const checked = normalizeAddress(bad);
      expect(checked.ok, JSON.stringify(bad)).toBe(false);
    }
    expect(normalizeAddress('a@b.com\nBcc: x@y.com')).toEqual({ ok: false, reason: 'an address cannot contain line breaks or tabs' });
  });

  it('subjects lose line breaks and control characters (no header injection)', () => {
    expect(headerText('عنوان\r\nBcc: victim@example.com')).toBe('عنوان Bcc: victim@example.com');
    expect(headerText('a\u0000b\tc\u2028d')).toBe('a b c d');
  });
});

describe('the subscriber list (issue 4)', () => {
  it('migrates a new database to the current schema and reopens it', async () => {
    const db = await freshDatabase();
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const path = db.name;
    db.close();
    const again = openDatabase(path);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('imports the good rows of a CSV and reports the bad ones with their line numbers', async () => {
    const db = await freshDatabase();
    const report = importCsv(db, await readFile(join(FIXTURES, 'send-site', 'subscribers.csv'), 'utf8'));
    expect(report.bad).toEqual([
      { line: 4, reason: '"not-an-address" is no email address (expected name@domain)' },
      { line: 7, reason: '"xx_!!" is no language tag (expected e.g. ar, en, fa)' },
      { line: 8, reason: '"" is no email address (expected name@domain)' },
    ]);
    expect(report).toMatchObject({ added: 4, updated: 1, unchanged: 0 });
    expect(listSubscribers(db).map(({ email, name, lang, state }) => ({ email, name, lang, state }))).toEqual([
      { email: 'first@example.com', name: 'أحمد علي', lang: 'ar', state: 'active' },
      { email: 'Second@example.com', name: 'Sara', lang: 'en', state: 'active' },
      { email: 'third@مثال.السعودية', name: null, lang: 'fa', state: 'active' },
      { email: 'fifth@مثال.السعودية', name: null, lang: null, state: 'active' },
    ]);
  });

  it('never resubscribes by import, and exports what it imports', async () => {
    const db = await freshDatabase();
    upsertSubscriber(db, 'gone@example.com');
    setSubscriberState(db, 'gone@example.com', 'unsubscribed');
    importCsv(db, 'email,name\ngone@example.com,Gone\nnew@example.com,\n');
    expect(listSubscribers(db).map(({ email, state, name }) => [email, state, name])).toEqual([
      ['gone@example.com', 'unsubscribed', 'Gone'],
      ['new@example.com', 'active', null],
    ]);
    const csv = exportCsv(db);
    expect(csv.split('\n')[0]).toBe('email,name,lang,state,created_at');
    const copy = await freshDatabase();
    expect(importCsv(copy, csv)).toMatchObject({ added: 2, bad: [] });
  });

  it('treats addresses that differ only in the case of their letters as one subscriber', async () => {
    const db = await freshDatabase();
    expect(upsertSubscriber(db, 'Sara@example.com', { name: 'سارة' })).toBe('added');
    expect(upsertSubscriber(db, 'sara@example.com', { lang: 'ar' })).toBe('updated');
    expect(listSubscribers(db).map(({ email, name, lang }) => [email, name, lang])).toEqual([['Sara@example.com', 'سارة', 'ar']]);
  });

  it('refuses a CSV without an email column', async () => {
    const db = await freshDatabase();
    expect(() => importCsv(db, 'contact,name\na@b.com,x\n')).toThrow('the CSV has no `email` column');
  });
});
