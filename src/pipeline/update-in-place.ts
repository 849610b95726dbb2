import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { listedFile, listFiles, type ListedFile } from '../cache/file-listing.js';
import { fileFailure } from '../diagnostics/build-failure.js';
import { FileWriter } from './file-writer.js';
import { deadStaging, stagingName } from './stale-staging.js';
import { IN_PLACE_PREFIX, insideFolder, manifestOf, notOutputEntry, OUTPUT_MARKER, recordOf, type OutputRecord, type OutputSink } from './write-atomically.js';

/** The folders inside a staging folder: the new files, the previous versions of those replaced or removed. */
const NEW_FILES = 'files';
const OLD_FILES = 'old';
/** The list of moves and removals; once it exists under this name, the update is decided and is finished even after a crash. */
const JOURNAL = 'journal.json';

/** What an update does to the output folder, written before it starts. */
interface Journal {
  /** Paths moved from the staging folder's `files/` into the output folder, the manifest last. */
  moves: string[];
  /** Paths removed from the output folder. */
  removals: string[];
}

/**
 * Updates an output folder that a previous build wrote (it has a sound
 * manifest) in place: a file whose bytes are unchanged is not touched at
 * all, and only new or changed files are written, into a staging folder
 * inside the output folder (so each can be renamed into place: same file
 * system, even on a mount point). On `commit` a journal of every move and
 * removal is written first; then old files are removed, new ones renamed
 * over the old (each rename replaces one whole file) and the manifest goes
 * last. An error while doing so puts every file back; a build killed after
 * the journal was written is finished by the next build
 * ({@link finishInterruptedUpdates}), one killed before it leaves the output
 * as it was. A rebuild after one edit thus costs the files that changed,
 * not a link and a folder for every file of the site.
 *
 * Unlike the whole-folder swap of {@link StagedOutput}, a reader of the
 * folder during the commit may see some files already new and others not
 * yet; each file is always whole.
 */
export class UpdatedOutput implements OutputSink {
  private readonly records = new Map<string, OutputRecord>();
  /** Paths written into the staging folder by this build. */
  private readonly staged = new Set<string>();
  private readonly fileWriter = new FileWriter();

  private constructor(
    /** Absolute path of the output folder. */
    readonly outDir: string,
    private readonly staging: string,
    private readonly previous: ReadonlyMap<string, string>,
    /** The output folder's files when the update began: one walk serves every `reuse`, the removals and the build stamp. */
    private readonly listed: Map<string, ListedFile>,
  ) {}

  /**
   * Opens a staging folder inside `outDir` to update it.
   *
   * @param outDir   Absolute path of an output folder with a manifest.
   * @param previous The SHA-256 of each of its files, by path, from that manifest.
   */
  static open(outDir: string, previous: ReadonlyMap<string, string>): UpdatedOutput {
    const listed = listFiles(outDir);
    const staging = join(outDir, stagingName(IN_PLACE_PREFIX, 'new', `${process.pid}-${randomBytes(4).toString('hex')}`));
    mkdirSync(join(staging, NEW_FILES), { recursive: true });
    return new UpdatedOutput(outDir, staging, previous, listed);
  }

  /** The output folder's files as the committed update left them (every file this build did not touch keeps the `lstat` it had when the update began). */
  get files(): ReadonlyMap<string, ListedFile> {
    return this.listed;
  }

  get written(): ReadonlyMap<string, OutputRecord> {
    return this.records;
  }

  async write(path: string, content: string | Uint8Array): Promise<OutputRecord> {
    const record = recordOf(path, content);
    if (!(await this.reuse(record))) {
      await this.fileWriter.write(insideFolder(join(this.staging, NEW_FILES), path), content);
      this.staged.add(path);
      this.records.set(path, record);
    }
    return record;
  }

  async reuse(record: OutputRecord): Promise<boolean> {
    if (this.records.get(record.path)?.sha256 === record.sha256) return true;
    if (this.previous.get(record.path) !== record.sha256) return false;
    const info = this.listed.get(record.path);
    if (!info?.file || !holdsManifestBytes(info, this.listed.get(OUTPUT_MARKER), () => insideFolder(this.outDir, record.path), record)) return false;
    // Written earlier in this build with other bytes, now back to the previous ones: the staged copy must not replace it.
    this.staged.delete(record.path);
    this.records.set(record.path, record);
    return true;
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    if (!this.records.has(path)) return undefined;
    await this.fileWriter.settled();
    return readFile(insideFolder(this.staged.has(path) ? join(this.staging, NEW_FILES) : this.outDir, path));
  }

  /** Writes the manifest and the journal, then moves the new files in and the old ones out. */
  async commit(): Promise<void> {
    // A file that could not be written fails the build as its write would have (the build then aborts).
    await this.fileWriter.settled();
    await this.fileWriter.close();
    let journal: Journal;
    try {
      writeFileSync(join(this.staging, NEW_FILES, OUTPUT_MARKER), manifestOf(this.records));
      const removals = [...this.listed.keys()].filter((path) => !this.records.has(path) && path !== OUTPUT_MARKER && !notOutputEntry(path.split('/')[0] as string));
      journal = { moves: [...[...this.staged].sort(), OUTPUT_MARKER], removals };
      writeFileSync(join(this.staging, `${JOURNAL}.tmp`), JSON.stringify(journal));
      renameSync(join(this.staging, `${JOURNAL}.tmp`), join(this.staging, JOURNAL));
    } catch (error) {
      await this.abort();
      throw cannotUpdate(this.outDir, error);
    }
    const undo = applyJournal(this.outDir, this.staging, journal, true);
    if (undo.error) {
      undo.rollBack();
      rmSync(this.staging, { recursive: true, force: true });
      throw cannotUpdate(this.outDir, undo.error);
    }
    rmSync(this.staging, { recursive: true, force: true });
    for (const path of journal.removals) this.listed.delete(path);
    for (const path of journal.moves) {
      const info = lstatSync(insideFolder(this.outDir, path), { throwIfNoEntry: false });
      if (info) this.listed.set(path, listedFile(info));
      else this.listed.delete(path);
    }
  }

  /** Throws the staging folder away, leaving the output folder as it was. */
  async abort(): Promise<void> {
    await this.fileWriter.close();
    rmSync(this.staging, { recursive: true, force: true });
  }
}

/**
 * Whether a file of the previous output still holds the bytes its manifest
 * gives: taken as so by its size alone when it has not changed since the
 * manifest was written (its `ctime`, which no program can set back, is older
 * than the manifest's: every build writes the manifest last), else read and
 * hashed. Without the `ctime`, a file edited in place to the same size was
 * kept by every later build. The file's absolute path is worked out only
 * when it is read: a build that reuses 21,600 files reads almost none.
 */
function holdsManifestBytes(info: { size: number; ctimeMs: number }, manifest: { ctimeMs: number } | undefined, path: () => string, record: OutputRecord): boolean {
  if (info.size !== record.size) return false;
  if (manifest && info.ctimeMs < manifest.ctimeMs) return true;
  try {
    return createHash('sha256').update(readFileSync(path())).digest('hex') === record.sha256;
  } catch {
    return false;
  }
}

/**
 * Finishes the updates that builds killed after deciding them left in
 * `outDir` (a staging folder of a dead process holding a journal), so the
 * output is the whole new one; staging folders without a journal are left
 * for {@link removeStaleStaging} to throw away.
 *
 * @param outDir Absolute path of the output folder.
 */
export function finishInterruptedUpdates(outDir: string): void {
  let names: string[];
  try {
    names = readdirSync(outDir);
  } catch {
    return;
  }
  for (const name of deadStaging(names, IN_PLACE_PREFIX, ['new'])) {
    const staging = join(outDir, name);
    let journal: Journal;
    try {
      journal = JSON.parse(readFileSync(join(staging, JOURNAL), 'utf8')) as Journal;
    } catch {
      continue;
    }
    if (!Array.isArray(journal.moves) || !Array.isArray(journal.removals)) continue;
    applyJournal(outDir, staging, journal, false);
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Does what `journal` says. With `keep`, each file replaced or removed is
 * first kept in the staging folder's `old/`, and the answer can put
 * everything back; without it (finishing a killed build's update), steps
 * already done are skipped.
 */
function applyJournal(outDir: string, staging: string, journal: Journal, keep: boolean): { error?: unknown; rollBack: () => void } {
  const removed: string[] = [];
  const moved: { path: string; replaced: boolean }[] = [];
  const rollBack = () => {
    for (const { path, replaced } of moved.reverse()) {
      tryTo(() => renameSync(insideFolder(outDir, path), insideFolder(join(staging, NEW_FILES), path)));
      if (replaced) tryTo(() => renameSync(insideFolder(join(staging, OLD_FILES), path), insideFolder(outDir, path)));
    }
    for (const path of removed.reverse()) {
      tryTo(() => {
        mkdirSync(dirname(insideFolder(outDir, path)), { recursive: true });
        renameSync(insideFolder(join(staging, OLD_FILES), path), insideFolder(outDir, path));
      });
    }
  };
  try {
    for (const path of journal.removals) {
      const target = insideFolder(outDir, path);
      if (keep) {
        const kept = insideFolder(join(staging, OLD_FILES), path);
        mkdirSync(dirname(kept), { recursive: true });
        renameSync(target, kept);
        removed.push(path);
      } else rmSync(target, { force: true });
      removeEmptyFolders(outDir, dirname(target));
    }
    for (const path of journal.moves) {
      const source = insideFolder(join(staging, NEW_FILES), path);
      if (!keep && !existsSync(source)) continue;
      const target = insideFolder(outDir, path);
      let replaced = false;
      if (keep && existsSync(target)) {
        const kept = insideFolder(join(staging, OLD_FILES), path);
        mkdirSync(dirname(kept), { recursive: true });
        keepCopy(target, kept);
        replaced = true;
      }
      mkdirSync(dirname(target), { recursive: true });
      renameSync(source, target);
      moved.push({ path, replaced });
    }
    return { rollBack };
  } catch (error) {
    return { error, rollBack };
  }
}

/** A second name for `target` (a copy where links are refused), so it survives being replaced. */
function keepCopy(target: string, kept: string): void {
  try {
    linkSync(target, kept);
  } catch {
    copyFileSync(target, kept);
  }
}

/** Removes `folder` and its parents up to `outDir` while they are empty (a deleted post's folder). */
function removeEmptyFolders(outDir: string, folder: string): void {
  for (let current = folder; current.startsWith(outDir + '/'); current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
  }
}


function tryTo(step: () => void): void {
  try {
    step();
  } catch {
    // Putting back is best effort: one file that cannot go back must not stop the others.
  }
}

function cannotUpdate(outDir: string, error: unknown) {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return fileFailure(outDir, `cannot update the output folder (${code}); the previous output was left as it was: check that it is writable`, 'output-unusable', { cause: error });
}
