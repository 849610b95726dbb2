import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BlogManifest } from './check-output.js';

/** A private copy of exactly the files a build wrote, to publish from. */
export interface StagedBlog {
  /** The folder holding the copy. */
  folder: string;
  /** Deletes the copy. */
  dispose(): Promise<void>;
}

/** Reads a file without following a symbolic link at its last step. */
async function readNoFollow(path: string): Promise<Buffer | undefined> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  try {
    return (await handle.stat()).isFile() ? await handle.readFile() : undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Copies the files of the build's manifest, and nothing else, from
 * `<outDir>/blog` into a new temporary folder, checking each file's SHA-256
 * against the manifest. Files the build did not write are left behind, and a
 * file that is a symbolic link, sits under one, or whose content differs
 * stops the publish: the targets publish from this copy only, so nothing
 * outside the build (a secret a link points to, a stray file) can go out.
 *
 * @param outDir   The output folder (absolute).
 * @param manifest The blog's files and hashes, from {@link lastGoodBuild}.
 */
export async function stageBlog(outDir: string, manifest: BlogManifest): Promise<StagedBlog> {
  const blog = join(outDir, 'blog');
  const realBlog = await realpath(blog).catch(() => blog);
  const folder = await mkdtemp(join(tmpdir(), 'sahifa-stage-'));
  const dispose = () => rm(folder, { recursive: true, force: true });
  try {
    for (const [path, hash] of manifest) {
      const source = join(blog, path);
      const expected = join(realBlog, dirname(path));
      const parent = await realpath(dirname(source)).catch(() => undefined);
      const content = parent === expected ? await readNoFollow(source) : undefined;
      if (!content) throw new Error(`${source} is missing or is a symbolic link, not the file the build wrote: run sahifa build again`);
      if (createHash('sha256').update(content).digest('hex') !== hash) {
        throw new Error(`${source} is not the file the build wrote (its content changed since): run sahifa build again`);
      }
      await mkdir(join(folder, dirname(path)), { recursive: true });
      await writeFile(join(folder, path), content, { flag: 'wx' });
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { folder, dispose };
}
