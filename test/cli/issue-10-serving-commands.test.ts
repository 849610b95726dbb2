import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, sahifa } from '../helpers/cli.js';
import { rawGet } from '../helpers/dev.js';
import { copyFixture, GOOD_POST, makeSite } from '../helpers/site.js';
import { freePort } from '../helpers/free-port.js';

let blocker: Server | undefined;
afterEach(async () => {
  await new Promise<void>((closed) => (blocker ? blocker.close(() => closed()) : closed()));
  blocker = undefined;
});

/** Takes a free port on 127.0.0.1 and keeps it, so that a command finds it busy. */
async function busyPort(): Promise<number> {
  blocker = createServer((socket) => socket.on('error', () => {}).destroy());
  await new Promise<void>((listening) => blocker!.listen(0, '127.0.0.1', listening));
  return (blocker.address() as { port: number }).port;
}

const SERVING = [
  { command: 'dev', env: {} },
  { command: 'unsubscribe-server', env: { SAHIFA_SECRET: 'issue-10-secret-of-at-least-32-bytes', SAHIFA_SMTP_URL: 'smtp://127.0.0.1:2525' } },
];

describe('issue 10: a busy port is one line naming the port and --port, before any build', () => {
  for (const { command, env } of SERVING) {
    it(`sahifa ${command}`, async () => {
      const root = await copyFixture('send-site');
      const port = await busyPort();
      const run = await sahifa([command, '--root', root, '--port', String(port)], { env });
      expect(run).toEqual({
        status: 1,
        stdout: '',
        stderr: `error: port ${port} on 127.0.0.1 is already in use (another sahifa, or another server): stop that one, or pass another port with --port N, e.g. --port ${port + 1}\n`,
      });
      // The port is taken before the build: nothing was built.
      expect(existsSync(join(root, '.sahifa', 'dev'))).toBe(false);
    });
  }

  it('names --host when the address is not on this machine', async () => {
    const root = await copyFixture('send-site');
    const run = await sahifa(['dev', '--root', root, '--port', '4999', '--host', '203.0.113.7']);
    expect(run).toEqual({
      status: 1,
      stdout: '',
      stderr: 'error: cannot listen on --host 203.0.113.7: this machine has no such address (EADDRNOTAVAIL); pass --host 127.0.0.1 for this machine only, or --host 0.0.0.0 for every network\n',
    });
  });
});

describe('issue 10: --port is a whole number from 0 to 65535 for every serving command', () => {
  const bad = ['65536', '99999999', '1.5', '-1', '', 'nope', '0x50', '1e3', ' 80', '80 ', '+80', '\u001b[31m'];
  for (const { command, env } of SERVING) {
    it(`sahifa ${command}`, async () => {
      const root = await makeSite({ 'posts/a.md': GOOD_POST });
      const runs = await Promise.all(bad.map((port) => sahifa([command, '--root', root, '--port', port], { env })));
      runs.forEach((run, index) => {
        const shown = bad[index]!.replace('\u001b', '\\u{1b}');
        expect(run, bad[index]).toEqual({ status: 1, stdout: '', stderr: `error: --port expects a whole number from 0 to 65535 (0: any free port), got "${shown}": e.g. --port 4000\n` });
      });
    });
  }
});

describe('issue 10: commands find the site root from a folder inside it', () => {
  it('builds, adds a post and lists subscribers from posts/ and deeper, as from the root', async () => {
    const root = await makeSite({ 'posts/2025-01-01-hello.md': GOOD_POST });
    const deep = join(root, 'posts', 'images', 'cover');
    await mkdir(deep, { recursive: true });

    const built = await sahifa(['build'], { cwd: join(root, 'posts') });
    expect(built.stderr).toBe('');
    expect(built.stdout).toMatch(/^Built 1 post: 5 pages, 0 emails in \d+\.\d\d s → \.\.\/dist\n$/);
    expect(existsSync(join(root, 'dist', 'blog', 'hello', 'index.html'))).toBe(true);
    expect(existsSync(join(root, 'posts', 'dist'))).toBe(false);

    const created = await sahifa(['new', 'Second', '--slug', 'second', '--date', '2025-02-01'], { cwd: deep });
    expect(created).toMatchObject({ status: 0, stderr: '' });
    expect(await readdir(join(root, 'posts'))).toContain('2025-02-01-second.md');
    expect(existsSync(join(deep, 'posts'))).toBe(false);

    expect(await sahifa(['subscribers', 'add', 'reader@example.com'], { cwd: deep })).toMatchObject({ status: 0 });
    const listed = await sahifa(['subscribers', 'list', '--json'], { cwd: join(root, 'posts') });
    expect(listed.stdout).toContain('reader@example.com');

    // --root is a starting folder too, as git's -C is.
    const fromFlag = await sahifa(['build', '--root', deep]);
    expect(fromFlag).toMatchObject({ status: 0, stderr: '' });
  });

  it('sahifa dev from posts/ serves the site above, and says when there is no good build yet', async () => {
    const root = await makeSite({ 'posts/a.md': '---\ntitle: [broken\n---\n' });
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'dev', '--port', String(port)], { cwd: join(root, 'posts'), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const serving = new Promise<void>((ready) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Ctrl+C stops')) ready();
      }),
    );
    const exited = once(child, 'close');
    await Promise.race([serving, exited]);
    try {
      expect(stdout).toBe(`Serving http://127.0.0.1:${port}/ (emails at http://127.0.0.1:${port}/__sahifa/email/); watching for changes. Ctrl+C stops.\n`);
      expect(stderr).toMatch(/^posts\/a\.md:2:\d+: error invalid YAML in front matter.*\nBuild failed; there is no good build to serve yet: fix the errors and save\.\n$/s);
      // The failed build was recorded at the site root, not in posts/.
      expect(existsSync(join(root, '.sahifa'))).toBe(true);
      expect(existsSync(join(root, 'posts', '.sahifa'))).toBe(false);
      const page = await rawGet(`http://127.0.0.1:${port}/`, '/');
      expect(page.body).toMatch(/const served = \{"build":0,"messages":\["posts\/a\.md:2:\d+: error invalid YAML/);
    } finally {
      child.kill('SIGINT');
    }
    expect((await exited)[0]).toBe(0);
  });

  it('outside any site, says to run it from the site root or pass --root, and that nothing was written', async () => {
    const nowhere = await mkdtemp(join(tmpdir(), 'sahifa-no-site-'));
    try {
      for (const args of [['build'], ['build', '--root', nowhere]]) {
        const run = await sahifa(args, { cwd: nowhere });
        expect(run.status).toBe(1);
        expect(run.stderr).toBe(
          `sahifa.config.json: error no site configuration: no sahifa.config.json in ${nowhere} or any folder above it; run sahifa from the site root (or a folder inside it) or pass --root DIR (to start a new site, write sahifa.config.json as "Site configuration" in the README shows) [config-unreadable]\n` +
            'Build failed with 1 error; nothing was written.\n',
        );
      }
      const missing = await sahifa(['build', '--root', join(nowhere, 'typo')], { cwd: nowhere });
      expect(missing.stderr).toContain(`no sahifa.config.json in ${join(nowhere, 'typo')} or any folder above it`);
      expect(await readdir(nowhere)).toEqual([]);
    } finally {
      await rm(nowhere, { recursive: true, force: true });
    }
  });

  it('says the previous output was kept only when there was one', async () => {
    const root = await makeSite({ 'posts/a.md': GOOD_POST });
    const broken = { 'posts/b.md': '---\ndate: 2025-01-01\n---\n\nنص.\n' };
    const { writeFile } = await import('node:fs/promises');

    const first = await sahifa(['build', '--root', root, '--out', join(root, 'public')]);
    expect(first.status).toBe(0);
    await writeFile(join(root, 'posts/b.md'), broken['posts/b.md']);
    const kept = await sahifa(['build', '--root', root, '--out', join(root, 'public')]);
    expect(kept.stderr).toMatch(/\nBuild failed with 1 error; the previous output was left as it was\.\n$/);
    const none = await sahifa(['build', '--root', root]);
    expect(none.stderr).toMatch(/\nBuild failed with 1 error; nothing was written\.\n$/);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});
