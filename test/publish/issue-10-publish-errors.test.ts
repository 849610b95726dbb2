import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sahifa } from '../helpers/cli.js';
import { outside, setTargets, smallSite } from './publish-site.js';

describe('issue 10: a failed publish ends with one line that says what failed, never a stack trace', () => {
  it('git: a remote that is not a repository', async () => {
    const root = await smallSite({});
    const missing = join(await outside('none'), 'none.git');
    await setTargets(root, { site: { type: 'git', remote: missing } });
    const result = await sahifa(['publish', '--root', root]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: git ls-remote failed: fatal: '.+none\.git' does not appear to be a git repository \/ .+ \(check the target's `remote` and that git reaches it with your credentials\)\n$/);
    expect(result.stderr).not.toMatch(/\n(?!$)|    at /);
  });

  it('rsync over ssh: what the server side prints is shown as text, on one line', async () => {
    const folder = await outside('ssh');
    const ssh = join(folder, 'ssh');
    // A server that answers with a terminal escape sequence (a window title) and a second line.
    await writeFile(ssh, `#!/bin/sh\nprintf 'denied \\033]0;pwned\\007\\nsecond line\\n' >&2\nexit 255\n`, { mode: 0o755 });
    const root = await smallSite({});
    await setTargets(root, { site: { type: 'rsync', destination: 'deploy@example.org:/srv/www', ssh } });
    for (const args of [[], ['--rollback'], ['--dry-run']]) {
      const result = await sahifa(['publish', '--root', root, ...args]);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`error: ${ssh} failed: denied \\u{1b}]0;pwned\\u{7} / second line (check that ssh reaches the host without a password prompt (a key in your agent))\n`);
    }
  });
});
