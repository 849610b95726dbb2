import { afterEach, describe, expect, it, vi } from 'vitest';
import { printError } from '../../src/cli/output.js';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('issue 9: every line of an error reaches the terminal inert', () => {
  afterEach(() => vi.restoreAllMocks());

  it('escapes control and bidi characters in the message and in each "caused by" line', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const server = new Error('550 \x1b]0;owned\x07 mailbox \u202egnp.exe');
    const reason = new Error('the server said no\x1b[2J', { cause: server });
    printError(new Error('send stopped', { cause: reason }));
    printError('plain \x9b31m text');
    const output = written.join('');
    expect(output).not.toMatch(UNSAFE);
    expect(output.split('\n')).toEqual([
      'error: send stopped',
      '  caused by: the server said no\\u{1b}[2J',
      '  caused by: 550 \\u{1b}]0;owned\\u{7} mailbox \\u{202e}gnp.exe',
      'error: plain \\u{9b}31m text',
      '',
    ]);
  });
});
