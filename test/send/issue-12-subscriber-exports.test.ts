import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { sahifa } from '../helpers/cli.js';
import { FIXTURES, makeSite } from '../helpers/site.js';

const PLATFORMS = join(FIXTURES, 'subscriber-csv-platforms');

async function list(root: string): Promise<Array<{ email: string; name: string | null; state: string; created_at: string }>> {
  const run = await sahifa(['subscribers', 'list', '--json', '--root', root]);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as Array<{ email: string; name: string | null; state: string; created_at: string }>).map(({ email, name, state, created_at }) => ({ email, name, state, created_at }));
}

describe('issue 12: subscriber exports of other platforms', () => {
  it('imports a Ghost members CSV with opted-out members as unsubscribed, keeping their dates', async () => {
    const root = await makeSite({});
    const run = await sahifa(['subscribers', 'import', join(PLATFORMS, 'ghost-members.csv'), '--root', root]);
    expect(run.status).toBe(0);
    expect(await list(root)).toEqual([
      { email: 'on@example.com', name: 'On List', state: 'active', created_at: '2023-10-31T10:00:00.000Z' },
      { email: 'off@example.com', name: 'Off List', state: 'unsubscribed', created_at: '2023-11-01T10:00:00.000Z' },
      { email: 'paid-off@example.com', name: null, state: 'unsubscribed', created_at: '2023-11-02T10:00:00.000Z' },
    ]);
  });

  it('keeps the original subscription date of Mailchimp (OPTIN_TIME, in UTC) and WordPress.com (subscription_date)', async () => {
    const root = await makeSite({});
    for (const file of ['mailchimp-subscribed.csv', 'mailchimp-unsubscribed.csv', 'mailchimp-cleaned.csv', 'wordpress-com.csv']) {
      expect((await sahifa(['subscribers', 'import', join(PLATFORMS, file), '--root', root])).status, file).toBe(0);
    }
    expect(await list(root)).toEqual([
      { email: 'layla@example.com', name: 'ليلى حسن', state: 'active', created_at: '2024-03-01T10:00:00.000Z' },
      { email: 'omar@example.com', name: 'Omar', state: 'active', created_at: '2024-03-02T10:00:00.000Z' },
      { email: 'gone@example.com', name: 'Gone Away', state: 'unsubscribed', created_at: '2023-01-01T09:00:00.000Z' },
      { email: 'dead@example.com', name: null, state: 'bounced', created_at: '2023-01-01T09:00:00.000Z' },
      { email: 'reader@example.com', name: 'نور', state: 'active', created_at: '2024-01-01T00:00:00.000Z' },
    ]);
  });

  it('--map names the columns of any other export, and --state marks a whole file of people who left', async () => {
    const root = await makeSite({});
    const other = join(root, 'other.csv');
    await writeFile(other, 'Kennung,E-Mail-Adresse,Vorname,Nachname,Angemeldet seit\n1,anna@example.com,Anna,Berg,2021-05-05T05:05:05Z\n2,ben@example.com,Ben,,2021-06-06T06:06:06Z\n');
    const mapped = await sahifa(['subscribers', 'import', other, '--root', root, '--map', 'email=E-Mail-Adresse,first_name=Vorname,last_name=Nachname,created_at=Angemeldet seit']);
    expect(mapped.stderr).toBe('');
    expect(await list(root)).toEqual([
      { email: 'anna@example.com', name: 'Anna Berg', state: 'active', created_at: '2021-05-05T05:05:05.000Z' },
      { email: 'ben@example.com', name: 'Ben', state: 'active', created_at: '2021-06-06T06:06:06.000Z' },
    ]);
    // A file of people who unsubscribed elsewhere, with a status column that says "active" (it never wins over --state).
    const left = join(root, 'left.csv');
    await writeFile(left, 'address,status\nben@example.com,active\ncarla@example.com,subscribed\n');
    const run = await sahifa(['subscribers', 'import', left, '--root', root, '--map', 'email=address', '--state', 'unsubscribed']);
    expect(run.stdout).toContain('1 added, 1 updated');
    expect((await list(root)).map(({ email, state }) => [email, state])).toEqual([
      ['anna@example.com', 'active'],
      ['ben@example.com', 'unsubscribed'],
      ['carla@example.com', 'unsubscribed'],
    ]);
    const bounced = join(root, 'bounced.csv');
    await writeFile(bounced, 'email\nanna@example.com\n');
    await sahifa(['subscribers', 'import', bounced, '--root', root, '--state', 'bounced']);
    expect((await list(root))[0]).toMatchObject({ email: 'anna@example.com', state: 'bounced' });
  });

  it('refuses a --map column the file lacks, an unknown --map word and --state active, on one line, importing nothing', async () => {
    const root = await makeSite({});
    const file = join(root, 'x.csv');
    await writeFile(file, 'Mail,\u001b[31mName\nx@example.com,X\n');
    const missing = await sahifa(['subscribers', 'import', file, '--root', root, '--map', 'email=Adresse']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`error: ${file}:1: --map email=Adresse: the CSV has no column "Adresse" (its columns: Mail, \\u{1b}[31mName)\n`);
    const word = await sahifa(['subscribers', 'import', file, '--root', root, '--map', 'mail=Mail']);
    expect(word.stderr).toBe('error: --map expects word=COLUMN pairs separated by commas, with word one of email, name, first_name, last_name, lang, state, created_at; got "mail=Mail" (e.g. --map email=E-Mail,name=Full Name)\n');
    const active = await sahifa(['subscribers', 'import', file, '--root', root, '--state', 'active']);
    expect(active.stderr).toBe('error: --state expects unsubscribed or bounced, got "active" (rows are active unless a column or --state says otherwise)\n');
    expect(await list(root)).toEqual([]);
  });
});
