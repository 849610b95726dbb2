import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { ListedFile } from '../cache/file-listing.js';
import { fileFailure } from '../diagnostics/build-failure.js';
import { FileWriter } from './file-writer.js';
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

/** Prefix of the temporary folders made inside an output folder (one that is a mount point, or one updated in place). */
export const IN_PLACE_PREFIX = '.sahifa';

/** Entries of an output folder that a write never moves or counts (a file system's own). */
const FOREIGN_KEPT = new Set(['lost+found']);

/**
 * Whether an entry at the top of an output folder is not the output's own:
 * a file system's (`lost+found`) or a build's temporary folder. Writes
 * never move, count or remove these.
 *
 * @param name The entry's name.
 */
export function notOutputEntry(name: string): boolean {
  return FOREIGN_KEPT.has(name) || name.startsWith(`${IN_PLACE_PREFIX}.`);
}

/** One file of an output: where it is, its size and hash, and whether it was written as text. */
export interface OutputRecord {
  /** Path relative to the output folder, with `/` separators. */
  path: string;
  sha256: string;
  size: number;
  /** Written from a string (UTF-8). */
  text: boolean;
}

/** Where a build puts its files: a staging folder on disk, or memory. */
export interface OutputSink {
  /** Writes one file (a file the previous output holds with the same bytes is taken from there, keeping its time). */
  write(path: string, content: string | Uint8Array): Promise<OutputRecord>;
  /** Takes one file unchanged from the previous output; false when that output lacks these exact bytes. */
  reuse(record: OutputRecord): Promise<boolean>;
  /** The files written so far, by path. */
  readonly written: ReadonlyMap<string, OutputRecord>;
  /** Reads back a file written by this build (bytes), or `undefined` when none was. */
  read(path: string): Promise<Uint8Array | undefined>;
}

/** A sink that writes an output folder on disk: nothing reaches the folder before `commit`. */
export interface OutputWrite extends OutputSink {
  /** Puts the files written into the output folder, with the manifest. */
  commit(): Promise<void>;
  /** Throws away what was written, leaving the output folder as it was. */
  abort(): Promise<void>;
  /** The output folder's files once committed, when the write knows them without walking the folder again. */
  readonly files?: ReadonlyMap<string, ListedFile>;
}

/**
 * The manifest ({@link OUTPUT_MARKER}) of an output holding `records`.
 *
 * @param records The output's files by path.
 */
export function manifestOf(records: ReadonlyMap<string, OutputRecord>): string {
  const paths = [...records.keys()].sort();
  const manifest: OutputManifest = {
    note: 'Written by sahifa; the next build replaces or updates this folder.',
    files: Object.fromEntries(paths.map((path) => [path, records.get(path)?.size ?? 0])),
    sha256: Object.fromEntries(paths.map((path) => [path, records.get(path)?.sha256 ?? ''])),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The record of a file about to be written.
 *
 * @param path    Path relative to the output folder.
 * @param content Its content.
 */
export function recordOf(path: string, content: string | Uint8Array): OutputRecord {
  const text = typeof content === 'string';
  return { path, sha256: createHash('sha256').update(content).digest('hex'), size: text ? Buffer.byteLength(content) : content.byteLength, text };
}

/**
 * Writes a whole output folder at once: files are written one by one, as
 * the build makes them, into a temporary folder beside `outDir` (same file
 * system, so the final rename cannot fail with EXDEV); `commit` then moves
 * the old folder aside and renames the new one in, and `abort` throws the
 * temporary folder away. A failure before the swap leaves the previous
 * output exactly as it was. It is for a folder with no sound manifest (new,
 * empty, or not left whole by a build), so no file is taken from what it
 * holds: a folder a build wrote is updated in place (see `UpdatedOutput`).
 *
 * When `outDir` is a mount point it cannot be renamed (EBUSY): the new files
 * are then written into a temporary folder inside it and its contents are
 * swapped entry by entry instead. Temporary folders left by a build that was
 * killed (`kill -9`) are removed by the next one; those of a running build
 * are left alone.
 *
 * A folder is replaced only when it is empty or carries {@link OUTPUT_MARKER}
 * (that is, sahifa wrote it), so a mistaken `--out` cannot wipe other work.
 */
export class StagedOutput implements OutputWrite {
  private readonly records = new Map<string, OutputRecord>();
  private readonly fileWriter = new FileWriter();

  private constructor(
    /** Absolute path of the output folder. */
    readonly outDir: string,
    private readonly staging: string,
    private readonly suffix: string,
    private readonly mountPoint: boolean,
  ) {}

  /**
   * Opens a staging folder for `outDir`, which {@link prepareOutput} found replaceable.
   *
   * @param outDir Absolute path of the output folder.
   */
  static async open(outDir: string): Promise<StagedOutput> {
    const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const mountPoint = await isMountPoint(outDir);
    const staging = mountPoint ? join(outDir, stagingName(IN_PLACE_PREFIX, 'new', suffix)) : join(dirname(outDir), stagingName(`.${basename(outDir)}`, 'new', suffix));
    await mkdir(staging, { recursive: true });
    return new StagedOutput(outDir, staging, suffix, mountPoint);
  }

  /** The files written so far, by path. */
  get written(): ReadonlyMap<string, OutputRecord> {
    return this.records;
  }

  async write(path: string, content: string | Uint8Array): Promise<OutputRecord> {
    const record = recordOf(path, content);
    if (!(await this.reuse(record))) {
      await this.fileWriter.write(insideFolder(this.staging, path), content);
      this.records.set(path, record);
    }
    return record;
  }

  /** Only a file this build already wrote with these bytes: a folder without a sound manifest gives nothing. */
  async reuse(record: OutputRecord): Promise<boolean> {
    return this.records.get(record.path)?.sha256 === record.sha256;
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    if (!this.records.has(path)) return undefined;
    await this.fileWriter.settled();
    return readFile(insideFolder(this.staging, path));
  }

  /** Writes the manifest and puts the staging folder in the place of the output folder. */
  async commit(): Promise<void> {
    try {
      await this.fileWriter.settled();
      await this.fileWriter.close();
      await writeFile(join(this.staging, OUTPUT_MARKER), manifestOf(this.records));
    } catch (error) {
      await this.abort();
      throw error;
    }
    await this.swap();
  }

  /** Throws the staging folder away, leaving the output folder as it was. */
  async abort(): Promise<void> {
    await this.fileWriter.close();
    await rm(this.staging, { recursive: true, force: true });
  }

  private async swap(): Promise<void> {
    const { outDir, staging, suffix } = this;
    if (this.mountPoint) return swapContents(outDir, staging, join(outDir, stagingName(IN_PLACE_PREFIX, 'old', suffix)));
    const previous = join(dirname(outDir), stagingName(`.${basename(outDir)}`, 'old', suffix));
    const hadPrevious = await exists(outDir);
    if (hadPrevious) {
      try {
        await rename(outDir, previous);
      } catch (error) {
        // A bind mount of the same file system: it cannot be renamed, nor can anything be renamed into it from outside.
        if ((error as NodeJS.ErrnoException).code === 'EBUSY') return this.swapIntoBindMount();
        await this.abort();
        throw cannotReplace(outDir, error);
      }
    }
    try {
      await rename(staging, outDir);
    } catch (error) {
      if (hadPrevious) await rename(previous, outDir);
      await this.abort();
      throw cannotReplace(outDir, error);
    }
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
  }

  /** Copies the staging folder into the output folder (times kept), then swaps its contents entry by entry. */
  private async swapIntoBindMount(): Promise<void> {
    const { outDir, staging, suffix } = this;
    const inside = join(outDir, stagingName(IN_PLACE_PREFIX, 'new', suffix));
    try {
      await cp(staging, inside, { recursive: true, preserveTimestamps: true });
    } catch (error) {
      await rm(inside, { recursive: true, force: true });
      throw cannotReplace(outDir, error);
    } finally {
      await this.abort();
    }
    return swapContents(outDir, inside, join(outDir, stagingName(IN_PLACE_PREFIX, 'old', suffix)));
  }
}

/**
 * Readies `outDir` for a build's write: removes the temporary folders of
 * builds that were killed, checks that
 * the folder may be replaced, and answers the SHA-256 of each file of its
 * previous output by path, from its manifest (none when it has no sound one).
 *
 * @param outDir Absolute path of the output folder.
 */
export async function prepareOutput(outDir: string): Promise<Map<string, string>> {
  await removeStaleStaging(dirname(outDir), `.${basename(outDir)}`);
  await removeStaleStaging(outDir, IN_PLACE_PREFIX);
  await assertReplaceable(outDir);
  return previousHashes(outDir);
}

/** The SHA-256 of every file of the previous output, by path, from its manifest (none when it has no sound one). */
async function previousHashes(outDir: string): Promise<Map<string, string>> {
  try {
    const manifest = JSON.parse(await readFile(join(outDir, OUTPUT_MARKER), 'utf8')) as Partial<OutputManifest> | null;
    const hashes: unknown = manifest?.sha256;
    if (!hashes || typeof hashes !== 'object') return new Map();
    return new Map(Object.entries(hashes).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return new Map();
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
  const oldEntries = (await readdir(outDir)).filter((name) => !own.has(name) && !notOutputEntry(name));
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
  const counted = entries.filter((name) => !notOutputEntry(name));
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
