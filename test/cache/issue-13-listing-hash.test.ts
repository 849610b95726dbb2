import { appendFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderListingHash, listFiles, listingHash } from '../../src/cache/file-listing.js';

/** Names whose order differs between a sort of whole paths and a sort folder by folder ('-' and '.' sort before '/'). */
const TREE = ['a/x.html', 'a-c', 'a.b', 'a/b/c.txt', 'a/b-c/d', 'ab', 'z', 'مقالة/index.html', 'مقالة-2/index.html', 'E/upper', 'e/lower'];

describe('issue 13: the "nothing changed" check hashes the output folder while walking it', () => {
  it('gives the hash of the listing of the same folder, for names that sort differently whole and folder by folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-listing-hash-'));
    for (const path of TREE) {
      await mkdir(join(folder, path, '..'), { recursive: true });
      await writeFile(join(folder, path), path);
    }
    await symlink('a-c', join(folder, 'link'));
    await mkdir(join(folder, 'empty'));
    const listed = listFiles(folder);
    expect([...listed.keys()].sort()).toEqual([...TREE, 'link'].sort());
    const hash = folderListingHash(folder);
    expect(hash).toBe(listingHash([[folder, listed]]));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(folderListingHash(join(folder, 'missing'))).toBe(listingHash([[join(folder, 'missing'), new Map()]]));
  });

  it('changes when a file is edited in place, touched, added, removed or renamed', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sahifa-listing-hash-'));
    for (const path of TREE) {
      await mkdir(join(folder, path, '..'), { recursive: true });
      await writeFile(join(folder, path), path);
    }
    const seen = new Set([folderListingHash(folder)]);
    const steps: (() => Promise<void>)[] = [
      () => appendFile(join(folder, 'a/b/c.txt'), '!'),
      () => utimes(join(folder, 'a.b'), new Date(2001, 1, 1), new Date(2001, 1, 1)),
      () => writeFile(join(folder, 'a/b/new'), ''),
      () => rm(join(folder, 'z')),
      () => writeFile(join(folder, 'a/b/new2'), '').then(() => rm(join(folder, 'a/b/new'))),
    ];
    for (const step of steps) {
      await step();
      const hash = folderListingHash(folder);
      expect(seen.has(hash)).toBe(false);
      expect(hash).toBe(listingHash([[folder, listFiles(folder)]]));
      seen.add(hash);
    }
  });
});
