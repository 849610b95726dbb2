import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCsv, importCsv } from '../../src/send/csv.js';
import { openDatabase } from '../../src/send/database.js';
import { listSubscribers, setSubscriberState, upsertSubscriber } from '../../src/send/subscribers.js';

async function freshDatabase() {
  return openDatabase(join(await mkdtemp(join(tmpdir(), 'sahifa-issue-9-')), 'sahifa.db'));
}

const stateOf = (db: Awaited<ReturnType<typeof freshDatabase>>) => Object.fromEntries(listSubscribers(db).map(({ email, state }) => [email, state]));

describe('issue 9: restoring an export never turns unsubscribed or bounced people back into active', () => {
  it('restores every state and date of an export into an empty list', async () => {
    const db = await freshDatabase();
    upsertSubscriber(db, 'active@example.com', { name: 'نشط', lang: 'ar' });
    upsertSubscriber(db, 'left@example.com', { name: 'Left' });
    upsertSubscriber(db, 'bounced@example.com');
    setSubscriberState(db, 'left@example.com', 'unsubscribed');
    setSubscriberState(db, 'bounced@example.com', 'bounced');
    const restored = await freshDatabase();
    expect(importCsv(restored, exportCsv(db))).toEqual({ added: 3, updated: 0, unchanged: 0, bad: [] });
    const strip = (list: ReturnType<typeof listSubscribers>) => list.map(({ email, name, lang, state, created_at }) => ({ email, name, lang, state, created_at }));
    expect(strip(listSubscribers(restored))).toEqual(strip(listSubscribers(db)));
  });

  it('keeps the most restrictive state when a file and the list disagree, in any order', async () => {
    const db = await freshDatabase();
    upsertSubscriber(db, 'left@example.com');
    upsertSubscriber(db, 'bounced@example.com');
    upsertSubscriber(db, 'stays@example.com');
    setSubscriberState(db, 'left@example.com', 'unsubscribed');
    setSubscriberState(db, 'bounced@example.com', 'bounced');
    const report = importCsv(
      db,
      [
        'email,state',
        'left@example.com,active',
        'LEFT@example.com,',
        'bounced@example.com,Active',
        'stays@example.com,unsubscribed',
        'twice@example.com,bounced',
        'twice@example.com,active',
        'new@example.com,active',
      ].join('\n'),
    );
    expect(report.bad).toEqual([]);
    expect(stateOf(db)).toEqual({
      'left@example.com': 'unsubscribed',
      'bounced@example.com': 'bounced',
      'stays@example.com': 'unsubscribed',
      'twice@example.com': 'bounced',
      'new@example.com': 'active',
    });
  });

  it('reports an unknown state or a date that is no date as a bad row with its line, and adds nobody from it', async () => {
    const db = await freshDatabase();
    const report = importCsv(
      db,
      'email,state,created_at\nok@example.com,active,\nmaybe@example.com,maybe,\ndeleted@example.com,deleted,\nwhen@example.com,active,yesterday\n',
    );
    expect(report.bad).toEqual([
      { line: 3, reason: '"maybe" is no subscriber state (expected active, bounced, unsubscribed)' },
      { line: 4, reason: '"deleted" is no subscriber state (expected active, bounced, unsubscribed)' },
      { line: 5, reason: '"yesterday" is no date (expected ISO 8601, e.g. 2025-01-31T09:00:00.000Z)' },
    ]);
    expect(stateOf(db)).toEqual({ 'ok@example.com': 'active' });
  });

  it('still lets `subscribers add` resubscribe someone who asks again', async () => {
    const db = await freshDatabase();
    upsertSubscriber(db, 'back@example.com');
    setSubscriberState(db, 'back@example.com', 'unsubscribed');
    expect(upsertSubscriber(db, 'back@example.com', { state: 'active' })).toBe('unchanged');
    expect(upsertSubscriber(db, 'back@example.com', { state: 'active', reactivate: true })).toBe('updated');
    expect(stateOf(db)).toEqual({ 'back@example.com': 'active' });
  });
});
