import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readBuildRecord } from '../build/build-record.js';
import { OUTPUT_MARKER, type OutputManifest } from '../build/write-atomically.js';

/**
 * Refuses to publish anything but a whole, successful build: the last build
 * must have succeeded (its record lives in `.sahifa/`, outside the output),
 * and every file its manifest lists must be in `dist/blog` at its size.
 *
 * @param root The site root.
 * @param out  The output folder (default `<root>/dist`).
 * @returns The folder to publish.
 */
export async function publishableBlog(root: string, out?: string): Promise<string> {
  const outDir = resolve(out ?? join(root, 'dist'));
  const blog = join(outDir, 'blog');
  const record = await readBuildRecord(root, outDir);
  if (record && !record.ok) {
    throw new Error(`the last build failed (${record.at}); fix it and run sahifa build before publishing (what is in ${outDir} is older than your posts)`);
  }
  const manifestText = await readFile(join(outDir, OUTPUT_MARKER), 'utf8').catch(() => undefined);
  if (!manifestText) throw new Error(`there is no build in ${outDir}: run sahifa build first`);
  let manifest: OutputManifest;
  try {
    manifest = JSON.parse(manifestText) as OutputManifest;
  } catch {
    throw new Error(`${join(outDir, OUTPUT_MARKER)} is damaged: run sahifa build again`);
  }
  const blogFiles = Object.entries(manifest.files).filter(([path]) => path.startsWith('blog/'));
  if (!blogFiles.some(([path]) => path === 'blog/index.html')) throw new Error(`${blog} has no index.html: run sahifa build again`);
  for (const [path, size] of blogFiles) {
    const info = await stat(join(outDir, path)).catch(() => undefined);
    if (!info || info.size !== size) throw new Error(`${join(outDir, path)} is ${info ? `${info.size} bytes, not ${size}` : 'missing'}: the output is incomplete; run sahifa build again`);
  }
  return blog;
}
