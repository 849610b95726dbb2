import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashTree } from '../../src/publish/changes.js';
import { publish } from '../../src/publish/publish.js';
import { bareRemote, git, outside, smallSite } from './publish-site.js';

const SECRET = 'root:$6$secret-hash:19000:0:99999:7:::\n';

/** Each target type, with where its published files can be read back. */
const TARGETS = {
  git: async () => {
    const remote = await bareRemote();
    return {
      target: { type: 'git', remote, branch: 'gh-pages' },
      remote,
      async published(): Promise<Map<string, string>> {
        const clone = await outside('clone');
        git(clone, 'clone', '--quiet', '--branch', 'gh-pages', remote, '.');
        const files = await hashTree(clone);
        return new Map([...files].filter(([path]) => !path.startsWith('.git/') && path !== '.nojekyll'));
      },
    };
  },
  rsync: async () => {
    const web = join(await outside('rsync'), 'www');
    return { target: { type: 'rsync', destination: web }, remote: web, published: () => hashTree(join(web, 'current')) };
  },
  dir: async () => {
    const web = join(await outside('dir'), 'www');
    return { target: { type: 'dir', path: web }, remote: web, published: () => hashTree(join(web, 'current')) };
  },
};

/** Plants what must never be published: links to a secret outside, a linked folder, a stray file. */
async function plant(root: string, secretFolder: string): Promise<void> {
  const blog = join(root, 'dist', 'blog');
  await writeFile(join(secretFolder, 'shadow'), SECRET);
  await symlink(join(secretFolder, 'shadow'), join(blog, 'secret.txt'));
  await symlink(secretFolder, join(blog, 'linked'));
  await writeFile(join(blog, 'stray.html'), '<p>not from the build</p>');
  await mkdir(join(blog, 'extra'));
  await writeFile(join(blog, 'extra', 'notes.md'), 'draft notes');
}

describe('issue 9: publish ships exactly the build manifest, checked by hash, never following a link', () => {
  for (const [type, make] of Object.entries(TARGETS)) {
    it(`${type}: leaves out files not in the manifest and links to outside, in a dry run and a publish`, async () => {
      const setup = await make();
      const root = await smallSite({ site: setup.target });
      const built = await hashTree(join(root, 'dist', 'blog'));
      const secrets = await outside('secret');
      await plant(root, secrets);

      const dry = await publish({ root, dryRun: true });
      const listed = [...dry.changes.added, ...dry.changes.changed];
      expect(listed.filter((path) => /secret|linked|stray|extra/.test(path))).toEqual([]);

      const result = await publish({ root });
      expect(result.changed).toBe(true);
      const published = await setup.published();
      expect(published).toEqual(built);
      for (const hash of published.values()) expect(hash).not.toBe((await hashTree(secrets)).get('shadow'));
    });
  }

  it('refuses a manifest file that was replaced by a link to a secret, or changed at the same size, for every target, and publishes nothing', async () => {
    for (const make of Object.values(TARGETS)) {
      const setup = await make();
      const root = await smallSite({ site: setup.target });
      const secrets = await outside('secret');
      const page = join(root, 'dist', 'blog', 'index.html');
      const original = await readFile(page, 'utf8');
      await writeFile(join(secrets, 'shadow'), original.replace(/./gs, 'x'));
      await rm(page);
      await symlink(join(secrets, 'shadow'), page);
      await expect(publish({ root, dryRun: true })).rejects.toThrow(/index\.html is missing or is a symbolic link, not the file the build wrote: run sahifa build again/);
      await expect(publish({ root })).rejects.toThrow(/index\.html is missing or is a symbolic link/);

      await rm(page);
      // Same size, other bytes: a size check would let this through.
      const forged = original.replace('مرحبا', 'ahlan'.padEnd(Buffer.byteLength('مرحبا'), '!'));
      expect(forged).not.toBe(original);
      await writeFile(page, forged);
      expect(Buffer.byteLength(await readFile(page))).toBe(Buffer.byteLength(original));
      await expect(publish({ root })).rejects.toThrow(/index\.html is not the file the build wrote \(its content changed since\): run sahifa build again/);

      // A folder of the build swapped for a link to a copy outside: refused too.
      const folder = join(root, 'dist', 'blog', 'hello');
      const copy = join(secrets, 'hello');
      await writeFile(page, original);
      await cp(folder, copy, { recursive: true });
      await rm(folder, { recursive: true });
      await symlink(copy, folder);
      await expect(publish({ root })).rejects.toThrow(/hello\/index\.html is missing or is a symbolic link/);

      if (setup.target.type === 'git') expect(git(setup.remote, 'branch', '--list')).toBe('');
      else expect(existsSync(setup.remote)).toBe(false);
    }
  });
});
