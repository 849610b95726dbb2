import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../src/send/csv.js';
import { readCsvFile } from '../../src/send/csv-file.js';
import { openDatabase } from '../../src/send/database.js';
import { listSubscribers } from '../../src/send/subscribers.js';
import { sahifa } from '../helpers/cli.js';
import { copyFixture, FIXTURES } from '../helpers/site.js';

const PLATFORMS = join(FIXTURES, 'subscriber-csv-platforms');
const TEXT = 'email,name\nsara@example.com,سارة\nnour@example.com,Nour Zoë\n';
const ROWS = [
  ['sara@example.com', 'سارة'],
  ['nour@example.com', 'Nour Zoë'],
];

async function freshDatabase() {
  return openDatabase(join(await mkdtemp(join(tmpdir(), 'sahifa-issue-10-')), 'sahifa.db'));
}

async function fileWith(name: string, bytes: Uint8Array | string) {
  const path = join(await mkdtemp(join(tmpdir(), 'sahifa-issue-10-csv-')), name);
  await writeFile(path, bytes);
  return path;
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let index = 0; index + 1 < le.length; index += 2) [le[index], le[index + 1]] = [le[index + 1]!, le[index]!];
  return le;
}

describe('issue 10: subscriber CSVs from other platforms', () => {
  it('reads the columns of Mailchimp, WordPress.com, Ghost and Substack exports, with their states', async () => {
    const expected = JSON.parse(await readFile(join(PLATFORMS, 'expected.json'), 'utf8')) as Record<string, unknown[]>;
    const files = (await readdir(PLATFORMS)).filter((name) => name.endsWith('.csv')).sort();
    expect(files).toEqual(Object.keys(expected).sort());
    for (const file of files) {
      const db = await freshDatabase();
      expect(importCsv(db, await readCsvFile(join(PLATFORMS, file))).bad, file).toEqual([]);
      expect(listSubscribers(db).map(({ email, name, lang, state }) => ({ email, name, lang, state })), file).toEqual(expected[file]);
      db.close();
    }
  });

  it('never imports a Ghost member with subscribed_to_emails=false as active, and keeps their dates', async () => {
    const db = await freshDatabase();
    importCsv(db, await readCsvFile(join(PLATFORMS, 'ghost-members.csv')));
    expect(listSubscribers(db).map(({ email, state, created_at }) => [email, state, created_at])).toEqual([
      ['on@example.com', 'active', '2023-10-31T10:00:00.000Z'],
      ['off@example.com', 'unsubscribed', '2023-11-01T10:00:00.000Z'],
      ['paid-off@example.com', 'unsubscribed', '2023-11-02T10:00:00.000Z'],
    ]);
    const report = importCsv(db, 'email,subscribed_to_emails\nmaybe@example.com,perhaps\n');
    expect(report.bad).toEqual([{ line: 2, reason: '"perhaps" is neither true nor false (column subscribed_to_emails)' }]);
  });

  it('accepts the usual spellings of each column and state word', async () => {
    const db = await freshDatabase();
    const report = importCsv(
      db,
      'E-Mail,Full Name,Language,Status\na@example.com,A,ar,subscribed\nb@example.com,B,en,Unsubscribed\nc@example.com,C,fa,cleaned\nd@example.com,D,,opted-out\n',
    );
    expect(report.bad).toEqual([]);
    expect(listSubscribers(db).map(({ email, name, lang, state }) => [email, name, lang, state])).toEqual([
      ['a@example.com', 'A', 'ar', 'active'],
      ['b@example.com', 'B', 'en', 'unsubscribed'],
      ['c@example.com', 'C', 'fa', 'bounced'],
      ['d@example.com', 'D', null, 'unsubscribed'],
    ]);
  });
});

describe('issue 10: CSV files in other encodings, and files that are no CSV', () => {
  it('reads UTF-8 with a byte order mark, and UTF-16 with or without one, in either byte order', async () => {
    const encodings: Record<string, Uint8Array> = {
      'utf8-bom.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]),
      'utf16le-bom.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]),
      'utf16be-bom.csv': Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)]),
      'utf16le.csv': Buffer.from(TEXT, 'utf16le'),
      'utf16be.csv': utf16be(TEXT),
    };
    for (const [name, bytes] of Object.entries(encodings)) {
      const db = await freshDatabase();
      expect(importCsv(db, await readCsvFile(await fileWith(name, bytes))), name).toMatchObject({ added: 2, bad: [] });
      expect(listSubscribers(db).map(({ email, name: who }) => [email, who]), name).toEqual(ROWS);
      db.close();
    }
  });

  it('refuses Latin-1, Windows-1252 and Windows-1256 with the file, the line and what to do', async () => {
    const latin1 = await fileWith('latin1.csv', Buffer.from('email,name\nsara@example.com,Sara\nzoe@example.com,Zo\xeb\n', 'latin1'));
    await expect(readCsvFile(latin1)).rejects.toThrow(
      `${latin1}:3: the file is not UTF-8 (byte 0xeb; Latin-1, Windows-1252 or Windows-1256?): save it as UTF-8 (in Excel: "CSV UTF-8"; in LibreOffice: character set "Unicode (UTF-8)") and import it again`,
    );
    const cp1252 = await fileWith('cp1252.csv', Buffer.from([...Buffer.from('email,name\na@example.com,'), 0x93, 0x71, 0x94, 0x0a]));
    await expect(readCsvFile(cp1252)).rejects.toThrow(`${cp1252}:2: the file is not UTF-8 (byte 0x93;`);
    // "سارة" in Windows-1256.
    const cp1256 = await fileWith('cp1256.csv', Buffer.from([...Buffer.from('email,name\na@example.com,'), 0xd3, 0xc7, 0xd1, 0xc9, 0x0a]));
    await expect(readCsvFile(cp1256)).rejects.toThrow(`${cp1256}:2: the file is not UTF-8 (byte 0xd3;`);
    const binary = await fileWith('sheet.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]));
    await expect(readCsvFile(binary)).rejects.toThrow(`${binary} holds zero bytes, so it is no CSV text (a spreadsheet or another binary file?): save it as UTF-8`);
  });

  it('says in one line, without a stack trace, when the CSV is a folder, missing, not UTF-8, has no email column or an unclosed quote', async () => {
    const root = await copyFixture('send-site');
    const folder = join(root, 'readers.csv');
    await mkdir(folder);
    const asFolder = await sahifa(['subscribers', 'import', folder, '--root', root]);
    expect(asFolder).toMatchObject({ status: 1, stdout: '', stderr: `error: ${folder} is a folder, not a CSV file: give the path of the file inside it\n` });
    const missing = await sahifa(['subscribers', 'import', join(root, 'nowhere.csv'), '--root', root]);
    expect(missing).toMatchObject({ status: 1, stderr: `error: ${join(root, 'nowhere.csv')} does not exist: check the path (it is relative to the folder you run sahifa from)\n` });
    const latin1 = join(root, 'latin1.csv');
    await writeFile(latin1, Buffer.from('email,name\nzoe@example.com,Zo\xeb\n', 'latin1'));
    const refused = await sahifa(['subscribers', 'import', latin1, '--root', root]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^error: ${latin1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: the file is not UTF-8 \\(byte 0xeb; [^\\n]*save it as UTF-8[^\\n]*\\n$`));
    const noEmail = join(root, 'no-email.csv');
    await writeFile(noEmail, 'Name,Phone\nSara,123\n');
    expect(await sahifa(['subscribers', 'import', noEmail, '--root', root])).toMatchObject({
      status: 1,
      stderr: `error: ${noEmail}:1: the CSV has no \`email\` column: its first row must name the columns, e.g. \`email,name,lang,state\` (\`Email Address\` and \`email_address\` work too), or name it with --map email=COLUMN\n`,
    });
    const unclosed = join(root, 'unclosed.csv');
    await writeFile(unclosed, 'email,name\na@example.com,"Sara\nb@example.com,Nour\n');
    const refusedWhole = await sahifa(['subscribers', 'import', unclosed, '--root', root]);
    expect(refusedWhole.status).toBe(1);
    expect(refusedWhole.stderr).toBe(`error: ${unclosed}:3: the CSV has a quote that is never closed (it runs to line 3, the end of the file): wrap a field that holds a comma, a quote or a line break in double quotes, and double each quote inside it\n`);
    const utf16 = join(root, 'utf16.csv');
    await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]));
    const imported = await sahifa(['subscribers', 'import', utf16, '--root', root]);
    expect(imported).toMatchObject({ status: 0, stdout: `Imported ${utf16}: 2 added, 0 updated, 0 unchanged, 0 bad rows\n`, stderr: '' });
  });
});
