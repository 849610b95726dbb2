import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileFailure } from '../diagnostics/build-failure.js';
import { removeStaleStaging, stagingName } from './stale-staging.js';

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

/** Prefix of the temporary folders made inside an output folder that is a mount point. */
const IN_PLACE_PREFIX = '.sahifa';

/** Entries of an output folder that a write never moves or counts (a file system's own). */
const FOREIGN_KEPT = new Set(['lost+found']);

/**
 * Writes a whole output folder at once: every file goes into a temporary
 * folder beside `outDir` (same file system, so the final rename cannot fail
 * with EXDEV), then the old folder is moved aside and the new one renamed in.
 * A failure before the swap leaves the previous output exactly as it was.
 *
 * When `outDir` is a mount point it cannot be renamed (EBUSY): the new files
 * are then written into a temporary folder inside it and its contents are
 * swapped entry by entry instead. Temporary folders left by a build that was
 * killed (`kill -9`) are removed by the next one; those of a running build
 * are left alone.
 *
 * A folder is replaced only when it is empty or carries {@link OUTPUT_MARKER}
 * (that is, sahifa wrote it), so a mistaken `--out` cannot wipe other work.
 *
 * @param outDir Absolute path of the output folder.
 * @param files  Contents by path relative to `outDir`, with `/` separators.
 */
export async function writeAtomically(outDir: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
  const besidePrefix = `.${basename(outDir)}`;
  await removeStaleStaging(dirname(outDir), besidePrefix);
  await removeStaleStaging(outDir, IN_PLACE_PREFIX);
  await assertReplaceable(outDir);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const mountPoint = await isMountPoint(outDir);
  const staging = mountPoint ? join(outDir, stagingName(IN_PLACE_PREFIX, 'new', suffix)) : join(dirname(outDir), stagingName(besidePrefix, 'new', suffix));
  await writeStaging(staging, files);
  if (mountPoint) return swapContents(outDir, staging, join(outDir, stagingName(IN_PLACE_PREFIX, 'old', suffix)));
  const previous = join(dirname(outDir), stagingName(besidePrefix, 'old', suffix));
  const hadPrevious = await exists(outDir);
  if (hadPrevious) {
    try {
      await rename(outDir, previous);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      // A bind mount of the same file system: it cannot be renamed, nor can anything be renamed into it from outside.
      if ((error as NodeJS.ErrnoException).code === 'EBUSY') {
        const inside = join(outDir, stagingName(IN_PLACE_PREFIX, 'new', suffix));
        await writeStaging(inside, files);
        return swapContents(outDir, inside, join(outDir, stagingName(IN_PLACE_PREFIX, 'old', suffix)));
      }
      throw cannotReplace(outDir, error);
    }
  }
  try {
    await rename(staging, outDir);
  } catch (error) {
    if (hadPrevious) await rename(previous, outDir);
    await rm(staging, { recursive: true, force: true });
    throw cannotReplace(outDir, error);
  }
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}

async function writeStaging(staging: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
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
}

/**
 * Replaces the contents of `outDir` with those of `staging` (both on one file
 * system), moving the old entries into `aside` first; on a failure every
 * entry goes back where it was. Each move is a rename, so no file is ever
 * half written.
 */
async function swapContents(outDir: string, staging: string, aside: string): Promise<void> {
  const own = new Set([basename(staging), basename(aside)]);
  const oldEntries = (await readdir(outDir)).filter((name) => !own.has(name) && !FOREIGN_KEPT.has(name) && !name.startsWith(`${IN_PLACE_PREFIX}.`));
  const newEntries = await readdir(staging);
  const movedOut: string[] = [];
  const movedIn: string[] = [];
  try {
    await mkdir(aside);
    for (const name of oldEntries) {
      await rename(join(outDir, name), join(aside, name));
      movedOut.push(name);
    }
    for (const name of newEntries) {
      await rename(join(staging, name), join(outDir, name));
      movedIn.push(name);
    }
  } catch (error) {
    for (const name of movedIn) await rename(join(outDir, name), join(staging, name)).catch(() => undefined);
    for (const name of movedOut) await rename(join(aside, name), join(outDir, name)).catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
    await rm(aside, { recursive: true, force: true });
    throw cannotReplace(outDir, error);
  }
  await rm(staging, { recursive: true, force: true });
  await rm(aside, { recursive: true, force: true });
}

function cannotReplace(outDir: string, error: unknown) {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return fileFailure(outDir, `cannot replace the output folder (${code}); the previous output was left as it was: check that nothing holds it open and that it is writable`, 'output-unusable', { cause: error });
}

/** True when `folder` exists and lies on another file system than its parent. */
async function isMountPoint(folder: string): Promise<boolean> {
  try {
    const [own, parent] = await Promise.all([stat(folder), stat(dirname(folder))]);
    return own.dev !== parent.dev;
  } catch {
    return false;
  }
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
  const counted = entries.filter((name) => !FOREIGN_KEPT.has(name) && !name.startsWith(`${IN_PLACE_PREFIX}.`));
  if (counted.length > 0 && !counted.includes(OUTPUT_MARKER)) {
    throw fileFailure(outDir, `refusing to replace this folder: it is not empty and sahifa did not write it; choose another --out or empty it`, 'output-foreign');
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
