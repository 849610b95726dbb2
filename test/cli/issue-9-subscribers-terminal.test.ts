import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sahifa } from '../helpers/cli.js';
import { copyFixture } from '../helpers/site.js';

/** Names that try to act on the terminal: clear it, retitle the window, hide text, reverse it, an 8-bit CSI. */
const HOSTILE_NAMES = ['\x1b[2J\x1b[HCleared', '\x1b]0;owned\x07Title', 'Bell\x07\x08\x08', 'Invoice \u202efdp.exe', 'C1 \x9b31mred', 'Line\u2028Sep'];
/** What may never reach a terminal raw (line breaks aside, which the output itself uses). */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('issue 9: subscriber data reaches the terminal inert', () => {
  it('escapes control and bidi characters in list, import reports and errors, and keeps list --json exact', async () => {
    const root = await copyFixture('send-site');
    const csv = join(root, 'hostile.csv');
    const rows = HOSTILE_NAMES.map((name, index) => `r${index}@example.com,"${name}"`);
    await writeFile(csv, ['email,name,lang,state', ...rows, '"bad\x1b[2J@@example.com",x', 'ok@example.com,x,,"\x1b]0;state\x07"', ''].join('\n'));
    const report = await sahifa(['subscribers', 'import', csv, '--root', root]);
    expect(report.status).toBe(1);
    expect(report.stderr + report.stdout).not.toMatch(UNSAFE);
    expect(report.stderr.split('\n')).toEqual([
      `${csv}:8: error "bad\\u{1b}[2J@@example.com" is no email address (expected name@domain)`,
      `${csv}:9: error "\\u{1b}]0;state\\u{7}" is no subscriber state (expected active, bounced, unsubscribed)`,
      '',
    ]);

    const list = await sahifa(['subscribers', 'list', '--root', root]);
    expect(list.status).toBe(0);
    expect(list.stdout).not.toMatch(UNSAFE);
    expect(list.stdout).toContain('r0@example.com\tactive\t\\u{1b}[2J\\u{1b}[HCleared\t');
    expect(list.stdout).toContain('Invoice \\u{202e}fdp.exe');

    const json = await sahifa(['subscribers', 'list', '--json', '--root', root]);
    expect(json.stdout).not.toMatch(UNSAFE);
    const listed = JSON.parse(json.stdout) as Array<{ email: string; name: string }>;
    expect(listed.filter(({ email }) => email.startsWith('r')).map(({ name }) => name)).toEqual(HOSTILE_NAMES);

    for (const args of [
      ['subscribers', 'add', 'x\x1b[2J@example.com'],
      ['subscribers', 'remove', 'gone\x1b]0;t\x07@example.com'],
      ['subscribers', 'unsubscribe', 'nobody\u202e@example.com'],
    ]) {
      const run = await sahifa([...args, '--root', root]);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toMatch(/^error: [^\n]+\n$/);
      expect(run.stderr, args.join(' ')).not.toMatch(UNSAFE);
    }
  });
});
