import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { exportCsv, importCsv } from '../../src/send/csv.js';
import { openDatabase, type SahifaDatabase } from '../../src/send/database.js';
import { listSubscribers, setSubscriberState, upsertSubscriber } from '../../src/send/subscribers.js';
import { requestSubscription } from '../../src/serve/subscriptions.js';
import { sahifa } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';

async function freshDatabase(): Promise<SahifaDatabase> {
  return openDatabase(join(await mkdtemp(join(tmpdir(), 'sahifa-issue-11-export-')), 'sahifa.db'));
}

const consent = { page: 'https://example.org/talks/', wording: 'اشترك في النشرة', lang: 'ar' };

/** A list with every state: active, unsubscribed, bounced, and a sign-up of `sahifa serve` not yet confirmed. */
function everyState(db: SahifaDatabase): void {
  upsertSubscriber(db, 'active@example.com', { name: 'نشط', lang: 'ar' });
  upsertSubscriber(db, 'left@example.com', { name: '=cmd|x' });
  upsertSubscriber(db, 'bounced@example.com');
  setSubscriberState(db, 'left@example.com', 'unsubscribed');
  setSubscriberState(db, 'bounced@example.com', 'bounced');
  db.transaction(() => requestSubscription(db, 'waiting@example.com', consent))();
}

const strip = (db: SahifaDatabase) => listSubscribers(db).map(({ email, name, lang, state, created_at }) => ({ email, name, lang, state, created_at }));
const statesOf = (db: SahifaDatabase) => Object.fromEntries(listSubscribers(db).map(({ email, state }) => [email, state]));

describe('issue 11: export and import of pending sign-ups', () => {
  it('exports active, unsubscribed and bounced people and restores them exactly; a pending sign-up is left out and keeps its consent record', async () => {
    const db = await freshDatabase();
    everyState(db);
    const csv = exportCsv(db);
    expect(csv).not.toContain('waiting@');
    expect(csv.trim().split('\n')).toHaveLength(4);
    const restored = await freshDatabase();
    expect(importCsv(restored, csv)).toEqual({ added: 3, updated: 0, unchanged: 0, bad: [] });
    expect(strip(restored)).toEqual(strip(db).filter(({ email }) => email !== 'waiting@example.com'));
    // Exporting changed nothing: the sign-up is still pending with what it agreed to.
    expect(statesOf(db)['waiting@example.com']).toBe('pending');
    expect(db.prepare('SELECT page, w.text AS wording, lang, confirmed_at AS confirmedAt FROM consents JOIN wordings w ON w.id = consents.wording_id').all()).toEqual([{ ...consent, confirmedAt: null }]);
  });

  it('never makes anyone a subscriber, or changes anyone, from a pending row, and sends nothing', async () => {
    const db = await freshDatabase();
    upsertSubscriber(db, 'active@example.com');
    upsertSubscriber(db, 'left@example.com');
    setSubscriberState(db, 'left@example.com', 'unsubscribed');
    const report = importCsv(db, ['email,state', 'new@example.com,pending', 'active@example.com,pending', 'left@example.com,Pending', 'other@example.com,unconfirmed', 'fine@example.com,active'].join('\n'));
    expect(report).toEqual({ added: 1, updated: 0, unchanged: 0, bad: [], pending: 4 });
    expect(statesOf(db)).toEqual({ 'active@example.com': 'active', 'left@example.com': 'unsubscribed', 'fine@example.com': 'active' });
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM consents').pluck().get()).toBe(0);
  });

  it('says on the command line how many pending sign-ups were left out, both ways, and exits 0', async () => {
    const root = await copyFixture('serve-site');
    const config = await loadConfig(root);
    const db = openDatabase(join(root, config.database));
    everyState(db);
    db.close();
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-issue-11-export-'));
    const file = join(folder, 'backup.csv');
    const exported = await sahifa(['subscribers', 'export', file, '--root', root]);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toBe(
      `Exported 3 subscribers to ${file}\nLeft out 1 pending sign-up: they have not confirmed by email yet, so they are not subscribers (their consent records stay in the database)\n`,
    );
    expect(exported.status).toBe(0);
    await writeFile(file, `${await readFile(file, 'utf8')}waiting@example.com,,ar,pending,2025-01-01T00:00:00.000Z\n`);
    const other = await copyFixture('serve-site');
    const imported = await sahifa(['subscribers', 'import', file, '--root', other]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe(
      `Imported ${file}: 3 added, 0 updated, 0 unchanged, 0 bad rows\nLeft out 1 pending sign-up: never confirmed by email, so not imported as subscribers; they can subscribe again from the site\n`,
    );
    expect(imported.status).toBe(0);
  });
});
