import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/pipeline/build.js';
import { BIN } from '../helpers/cli.js';
import { GOOD_POST, makeSite } from '../helpers/site.js';

/** Temporary folders of a write, beside the output or inside it. */
async function leftovers(out: string): Promise<string[]> {
  const beside = (await readdir(dirname(out))).filter((name) => /^\.dist\.(?:new|old)-/.test(name));
  const inside = existsSync(out) ? (await readdir(out)).filter((name) => /^\.sahifa\.(?:new|old)-/.test(name)) : [];
  return [...beside, ...inside];
}

/** The id of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  child.on('error', () => undefined);
  await once(child, 'exit');
  return child.pid!;
}

/** Can this process mount file systems (root in a container that allows it)? */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    const probe = execFileSync('mktemp', ['-d']).toString().trim();
    execFileSync('mount', ['-t', 'tmpfs', 'none', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function siteWithPosts(count: number): Promise<string> {
  const posts: Record<string, string> = {};
  for (let index = 0; index < count; index += 1) posts[`posts/p${index}.md`] = GOOD_POST.replace('مرحبا', `مرحبا ${index}`);
  return makeSite(posts);
}

describe('issue 9: a killed build leaves nothing behind for long', () => {
  it('removes the temporary folders of dead processes, and keeps those of live ones', async () => {
    const root = await makeSite({ 'posts/good.md': GOOD_POST });
    const out = join(root, 'dist');
    const dead = await deadPid();
    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    live.on('error', () => undefined);
    try {
      const stale = [`.dist.new-${dead}-0123abcd`, `.dist.old-${dead}-89abcdef`];
      const running = `.dist.new-${live.pid}-fedcba98`;
      for (const name of [...stale, running]) {
        await mkdir(join(root, name, 'blog'), { recursive: true });
        await writeFile(join(root, name, 'blog', 'index.html'), 'half written');
      }
      await build({ root, out });
      expect(await leftovers(out)).toEqual([running]);
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('kill -9 in the middle of writing, then a build: no staging folder survives, the output is whole', async () => {
    const root = await siteWithPosts(30);
    const out = join(root, 'dist');
    for (let round = 0; round < 3; round += 1) {
      const child = spawn(process.execPath, [BIN, 'build', '--root', root, '--out', out], { stdio: 'ignore' });
      child.on('error', () => undefined);
      const exited = once(child, 'exit');
      let done = false;
      void exited.then(() => (done = true));
      // Wait, without a clock, until the build is writing its staging folder.
      while (!done && (await leftovers(out)).length === 0) await new Promise((resolve) => setImmediate(resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await build({ root, out });
    expect(await leftovers(out)).toEqual([]);
    expect(await readFile(join(out, 'blog', 'index.html'), 'utf8')).toContain('مرحبا');
  });
});

describe.skipIf(!canMount())('issue 9: an --out that is a mount point', () => {
  async function mounted(kind: 'tmpfs' | 'bind'): Promise<{ root: string; out: string; unmount: () => void }> {
    const root = await makeSite({ 'posts/good.md': GOOD_POST });
    const out = join(root, 'dist');
    await mkdir(out);
    if (kind === 'tmpfs') execFileSync('mount', ['-t', 'tmpfs', 'none', out]);
    else {
      const source = await mkdtemp(join(tmpdir(), 'sahifa-bind-'));
      execFileSync('mount', ['--bind', source, out]);
    }
    return { root, out, unmount: () => execFileSync('umount', [out]) };
  }

  for (const kind of ['tmpfs', 'bind'] as const) {
    it(`builds into a ${kind} mount twice, replacing its contents and leaving no staging copy`, async () => {
      const { root, out, unmount } = await mounted(kind);
      try {
        await build({ root, out });
        await writeFile(join(root, 'posts', 'second.md'), GOOD_POST.replace('مرحبا', 'الثانية'));
        await build({ root, out });
        expect(await leftovers(out)).toEqual([]);
        expect(await readFile(join(out, 'blog', 'second', 'index.html'), 'utf8')).toContain('الثانية');
        expect((await readdir(out)).sort()).toEqual(['.sahifa-output', 'blog', 'email'].filter((name) => name !== 'email' || existsSync(join(out, 'email'))).sort());
      } finally {
        unmount();
      }
    });
  }
});
