import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sahifa } from '../helpers/cli.js';
import { GOOD_POST, makeSite } from '../helpers/site.js';

describe('sahifa build (the command)', () => {
  it('builds a site and prints a one-line summary', async () => {
    const root = await makeSite({ 'posts/2025-01-01-hello.md': GOOD_POST, 'posts/draft.md': GOOD_POST.replace('date:', 'draft: true\nslug: draft\ndate:') });
    const run = await sahifa(['build', '--root', root]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Built 1 post \(1 draft left out\): 5 pages, 0 emails in \d+\.\d\d s → .+dist\n$/);
    expect(existsSync(join(root, 'dist', 'blog', 'hello', 'index.html'))).toBe(true);
    expect(existsSync(join(root, 'dist', 'blog', 'draft', 'index.html'))).toBe(false);
  });

  it('publishes drafts with --drafts, into --out', async () => {
    const root = await makeSite({ 'posts/hello.md': GOOD_POST.replace('date:', 'draft: true\ndate:') });
    const out = join(root, 'public');
    const run = await sahifa(['build', '--root', root, '--out', out, '--drafts']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Built 1 post: 5 pages, 0 emails/);
    expect(existsSync(join(out, 'blog', 'hello', 'index.html'))).toBe(true);
  });

  it('prints file:line:col errors and exits non-zero', async () => {
    const root = await makeSite({ 'posts/bad.md': '---\ndate: 2025-01-01\n---\n\nنص.\n' });
    const run = await sahifa(['build'], { cwd: root });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'posts/bad.md:2:1: error missing `title` in front matter: add `title: …` [front-matter-missing-field]\n' +
        'Build failed with 1 error; nothing was written.\n',
    );
  });

  it('prints warnings with their place and still builds', async () => {
    const root = await makeSite({ 'posts/warn.md': `${GOOD_POST}\n<script>alert(1)</script>\n` });
    const run = await sahifa(['build'], { cwd: root });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('posts/warn.md:8:1: warning raw `<script>` removed: posts may not carry scripts, styles, frames or forms [unsafe-html]\n');
  });

  it('refuses a port that is no port, and an unsubscribe server without its secret', async () => {
    const root = await makeSite({ 'posts/a.md': GOOD_POST });
    const dev = await sahifa(['dev', '--root', root, '--port', 'nope']);
    expect(dev).toMatchObject({ status: 1, stderr: 'error: --port expects a whole number from 0 to 65535 (0: any free port), got "nope": e.g. --port 4000\n' });
    const unsubscribe = await sahifa(['unsubscribe-server', '--root', root], { env: { SAHIFA_SECRET: '' } });
    expect(unsubscribe).toMatchObject({ status: 1, stderr: 'error: set SAHIFA_SECRET in the environment: at least 32 random bytes, e.g. the output of "openssl rand -base64 48"; keep it secret and the same as for sahifa send\n' });
  });

  it('rejects an unknown flag', async () => {
    const run = await sahifa(['build', '--nope']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("unknown option '--nope'");
  });
});
