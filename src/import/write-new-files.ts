import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/** A file an import wants to create: either its content, or a file to copy. */
export interface PlannedFile {
  /** Path under the site root, with `/` between folders. */
  path: string;
  content?: string;
  /** Absolute path of a file to copy (already checked to be where it may be read). */
  copyFrom?: string;
}

/** What happened to a planned file: `new` (written, or would be in a dry run), `unchanged` (already there, same bytes) or `kept` (something else is there; left alone). */
export type FileOutcome = 'new' | 'unchanged' | 'kept';

/** A planned file and its outcome. */
export interface WrittenFile {
  path: string;
  outcome: FileOutcome;
}

/**
 * Writes files that must not exist yet. An existing file is never replaced:
 * with the same bytes it counts as `unchanged` (so a second import changes
 * nothing), with others it is `kept` and reported. Each file is written
 * under a temporary name and hard-linked into place, which fails rather than
 * overwrites and never leaves half a file behind. A path that would leave the
 * root is refused.
 *
 * @param root   The site root.
 * @param files  What to write.
 * @param dryRun Decide every outcome, write nothing.
 */
export async function writeNewFiles(root: string, files: readonly PlannedFile[], dryRun: boolean): Promise<WrittenFile[]> {
  const base = resolve(root);
  const results: WrittenFile[] = [];
  for (const file of files) {
    const target = resolve(base, file.path);
    if (!target.startsWith(base + sep)) throw new Error(`refusing to write ${file.path}: it is outside the site root`);
    const bytes = file.content !== undefined ? Buffer.from(file.content) : await readFile(file.copyFrom ?? '');
    const existing = await readFile(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new Error(`cannot read ${file.path} (${error.code ?? String(error)}): check its permissions`, { cause: error });
    });
    if (existing) {
      results.push({ path: file.path, outcome: existing.equals(bytes) ? 'unchanged' : 'kept' });
      continue;
    }
    if (!dryRun) {
      const written = await placeNew(target, bytes, file.copyFrom);
      if (written !== 'new') {
        results.push({ path: file.path, outcome: written });
        continue;
      }
    }
    results.push({ path: file.path, outcome: 'new' });
  }
  return results;
}

async function placeNew(target: string, bytes: Buffer, copyFrom: string | undefined): Promise<FileOutcome> {
  await mkdir(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.sahifa-import-${randomBytes(6).toString('hex')}`);
  try {
    if (copyFrom) await copyFile(copyFrom, temporary);
    else await writeFile(temporary, bytes, { flag: 'wx' });
    await link(temporary, target);
    return 'new';
  } catch (error) {
    // Someone made the file between the check and now: leave theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(target)).equals(bytes) ? 'unchanged' : 'kept';
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}
