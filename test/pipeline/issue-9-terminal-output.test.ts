import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { formatMessage } from '../../src/diagnostics/format.js';
import { sahifa } from '../helpers/cli.js';
import { GOOD_POST, makeSite } from '../helpers/site.js';

// ESC, BEL, CSI, C1 and bidi controls: anything that acts on a terminal instead of printing.
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('issue 9: terminal output never carries raw escape sequences from content', () => {
  it('formatMessage escapes control characters in the reason and the path', () => {
    const file = new VFile({ path: '/site/posts/\u001b[31mred.md' });
    const message = file.message('slug "\u001b]0;pwned\u0007\u001b[2J" is taken \u202eexe.fdp', { line: 2, column: 3 });
    const line = formatMessage(message, { cwd: '/site' });
    expect(line).not.toMatch(ACTIVE);
    expect(line).toBe('posts/\\u{1b}[31mred.md:2:3: warning slug "\\u{1b}]0;pwned\\u{7}\\u{1b}[2J" is taken \\u{202e}exe.fdp');
  });

  it('sahifa build prints a hostile slug and an unknown field inert', async () => {
    const root = await makeSite({
      'posts/good.md': GOOD_POST,
      'posts/bad.md': '---\ntitle: "x"\ndate: 2025-01-01\nslug: "\\e]0;pwned\\a\\e[2J"\n"\\e[31mred": 1\n---\n\nنص.\n',
    });
    const run = await sahifa(['build', '--root', root]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('posts/bad.md:4:7: error unsafe `slug` "\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"');
    expect(run.stderr).toContain('unknown front-matter field `\\u{1b}[31mred`');
    expect(run.stderr + run.stdout).not.toMatch(ACTIVE);
  });
});
