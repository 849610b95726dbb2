import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readBuildRecord } from '../pipeline/build-record.js';
import { OUTPUT_MARKER } from '../pipeline/write-atomically.js';

/** The files of the blog as the last build wrote them: path under `blog/` → SHA-256. */
export type BlogManifest = Map<string, string>;

/** A manifest path that stays where it says: no `..`, no absolute path, no empty part. */
const SAFE_PATH = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[^/\\\0][^\\\0]*$/;

/**
 * Refuses to publish anything but a whole, successful build: the last build
 * into `outDir` must be recorded as a success (its record lives in
 * `.sahifa/`, outside the output; an unreadable record counts as no good
 * build), and the build's manifest must be readable.
 *
 * @param root   The site root.
 * @param outDir The output folder (absolute).
 * @returns The blog's files as the build wrote them, with their hashes.
 */
export async function lastGoodBuild(root: string, outDir: string): Promise<BlogManifest> {
  const manifestPath = join(outDir, OUTPUT_MARKER);
  const manifestText = await readFile(manifestPath, 'utf8').catch(() => undefined);
  if (manifestText === undefined) throw new Error(`there is no build in ${outDir}: run sahifa build first`);
  const record = await readBuildRecord(root, outDir);
  if (!record) throw new Error(`no successful build into ${outDir} is recorded in .sahifa/last-build.json: run sahifa build before publishing`);
  if (!record.ok) {
    throw new Error(`the last build failed (${record.at}); fix it and run sahifa build before publishing (what is in ${outDir} is older than your posts)`);
  }
  const damaged = new Error(`${manifestPath} is damaged or was written by an older sahifa: run sahifa build again`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestText);
  } catch {
    throw damaged;
  }
  const hashes = (parsed as { sha256?: unknown } | null)?.sha256;
  if (typeof hashes !== 'object' || hashes === null) throw damaged;
  const blog: BlogManifest = new Map();
  for (const [path, hash] of Object.entries(hashes)) {
    if (!path.startsWith('blog/')) continue;
    const inBlog = path.slice('blog/'.length);
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash) || !SAFE_PATH.test(inBlog)) throw damaged;
    blog.set(inBlog, hash);
  }
  if (!blog.has('index.html')) throw new Error(`${join(outDir, 'blog')} has no index.html: run sahifa build again`);
  return blog;
}
