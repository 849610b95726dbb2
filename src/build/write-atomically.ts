import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileFailure } from '../diagnostics/build-failure.js';

/**
 * File that marks a folder as sahifa's output, so it may be replaced. It
 * holds the manifest: the size of every file written, by path, so that a
 * publisher can tell a complete output from a damaged one.
 */
export const OUTPUT_MARKER = '.sahifa-output';

/** The content of {@link OUTPUT_MARKER}. */
export interface OutputManifest {
  note: string;
  files: Record<string, number>;
  /** The SHA-256 (hex) of every file's content, by path, so a publisher can check each file's bytes. */
  sha256: Record<string, string>;
}

/**
 * Writes a whole output folder at once: every file goes into a temporary
 * folder beside `outDir` (same file system, so the final rename cannot fail
 * with EXDEV), then the old folder is moved aside and the new one renamed in.
 * A failure before the swap leaves the previous output exactly as it was.
 *
 * A folder is replaced only when it is empty or carries {@link OUTPUT_MARKER}
 * (that is, sahifa wrote it), so a mistaken `--out` cannot wipe other work.
 *
 * @param outDir Absolute path of the output folder.
 * @param files  Contents by path relative to `outDir`, with `/` separators.
 */
export async function writeAtomically(outDir: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
  await assertReplaceable(outDir);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = join(dirname(outDir), `.${basename(outDir)}.new-${suffix}`);
  const previous = join(dirname(outDir), `.${basename(outDir)}.old-${suffix}`);
  try {
    await mkdir(staging, { recursive: true });
    const manifest: OutputManifest = {
      note: 'Written by sahifa; the next build replaces this folder whole.',
      files: Object.fromEntries([...files].map(([path, content]) => [path, typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength])),
      sha256: Object.fromEntries([...files].map(([path, content]) => [path, createHash('sha256').update(content).digest('hex')])),
    };
    await writeFile(join(staging, OUTPUT_MARKER), `${JSON.stringify(manifest, null, 2)}\n`);
    for (const [relativePath, content] of files) {
      const target = insideFolder(staging, relativePath);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const hadPrevious = await exists(outDir);
  if (hadPrevious) await rename(outDir, previous);
  try {
    await rename(staging, outDir);
  } catch (error) {
    if (hadPrevious) await rename(previous, outDir);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}

/**
 * The absolute path of `relativePath` inside `folder`, refusing any path that
 * would land outside it (`..`, absolute paths).
 *
 * @param folder       The folder.
 * @param relativePath A path with `/` separators.
 */
export function insideFolder(folder: string, relativePath: string): string {
  const target = resolve(folder, relativePath);
  if (!target.startsWith(folder + sep)) {
    throw new Error(`refusing to write outside the output folder: ${relativePath}`);
  }
  return target;
}

async function assertReplaceable(outDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(outDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fileFailure(outDir, `cannot use this output folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'output-unusable', { cause: error });
  }
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    throw fileFailure(outDir, `refusing to replace this folder: it is not empty and sahifa did not write it; choose another --out or empty it`, 'output-foreign');
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
