import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, PRIVATE_DIR, sahifaFingerprint } from './cache-root.js';

/**
 * The "nothing changed" check of `sahifa build`: a stamp written after each
 * good build that lists, by `lstat`, every file the build could have read
 * and every file it wrote. A later build whose listings come out the same
 * (and whose clock has not reached a post's date or a new year) has nothing
 * to do, and says so without loading the Markdown, template or email
 * machinery, the way `make` and git's index trust a file's size, time and
 * inode instead of reading it.
 */

/** A warning of the stamped build, kept to be shown again. */
export interface StampedWarning {
  file: string;
  line?: number;
  column?: number;
  reason: string;
  ruleId?: string;
}

/** What the stamped build reported, to be reported again when nothing changed. */
export interface StampSummary {
  posts: number;
  drafts: number;
  pages: number;
  emails: number;
  /** Posts left out until their date: the file and its `date`. */
  future: { path: string; date: string }[];
  /** Posts held before their date (`--future`), for the build record. */
  early: { slug: string; date: string }[];
  warnings: StampedWarning[];
}

/** What decides whether two builds must give the same output, besides the input files. */
export interface StampOptions {
  root: string;
  outDir: string;
  drafts: boolean;
  future: boolean;
  strict: boolean;
}

/** The input side of a stamp, taken when a build starts, before it reads anything. */
export interface StampStart {
  key: string;
  inputs: string;
}

interface Stamp extends StampStart {
  version: 1;
  output: string;
  /** The build's clock (ms since the epoch): an earlier clock (a build given a later `now`) may publish fewer posts. */
  validFrom: number;
  /** The time (ms since the epoch) from which the output may differ although no file changed. */
  validUntil: number;
  summary: StampSummary;
}

/** Top-level entries of a site that are never a build's input. */
const NOT_INPUT = new Set([PRIVATE_DIR, '.git', 'node_modules']);

/** A file written this close to (or after) its listing may change again within the same clock tick unseen (git's "racy" files). */
const RACY_MS = 50;

/** The default theme, whose files are inputs too. */
const THEME_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/**
 * Lists a site's inputs at the start of a build. The listing must be taken
 * before the build reads them, so that a file edited during the build makes
 * the next one rebuild.
 *
 * @param options The site, the output folder and the flags that change the output.
 * @returns The stamp's input side, or `undefined` when a file is too new to be trusted by its time.
 */
export async function startStamp(options: StampOptions): Promise<StampStart | undefined> {
  const listed = inputListing(options);
  return listed && { key: await stampKey(options), inputs: listed.inputs };
}

/** The listing of the site's files and the default theme's, or `undefined` when a file is too new to be trusted by its time. */
function inputListing(options: StampOptions): { inputs: string } | undefined {
  const listedAt = Date.now();
  const newest = { ms: 0 };
  const inputs = listing(
    [
      [options.root, (path) => isInput(options, path)],
      [THEME_DIR, () => true],
    ],
    newest,
  );
  return newest.ms >= listedAt - RACY_MS ? undefined : { inputs };
}

/**
 * Writes the stamp of a build that has just replaced its output folder.
 *
 * @param options    The site, output folder and flags (as given to {@link startStamp}).
 * @param start      The listing taken when the build started.
 * @param clock      The build's clock, and when its output may change by the clock alone (a post's date, a new year).
 * @param summary    What the build reported.
 */
export async function writeStamp(options: StampOptions, start: StampStart, clock: { now: Date; validUntil: number }, summary: StampSummary): Promise<void> {
  const output = listing([[options.outDir, () => true]], { ms: 0 });
  const stamp: Stamp = { version: 1, ...start, output, validFrom: clock.now.getTime(), validUntil: clock.validUntil, summary };
  const path = stampPath(options);
  await mkdir(dirname(path), { recursive: true });
  // Written aside and renamed: a stamp is whole or absent, never half written.
  await writeFile(`${path}.${process.pid}`, JSON.stringify(stamp));
  await rename(`${path}.${process.pid}`, path);
}

/**
 * What the check of a stamp found: what the last build reported, when
 * nothing changed; otherwise, when the check listed the site's inputs on the
 * way, that listing, which the build about to start may take as its own.
 */
export type StampCheck = { unchanged: StampSummary; start?: undefined } | { unchanged?: undefined; start?: StampStart };

/**
 * Checks the stamp of the last good build into this output folder: nothing
 * it read or wrote has changed since, and its clock-bound content still holds.
 *
 * @param options The site, the output folder and the flags of this build.
 * @param now     This build's clock.
 */
export async function checkStamp(options: StampOptions, now: Date): Promise<StampCheck> {
  const text = await readFile(stampPath(options), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  let stamp: Partial<Stamp>;
  try {
    stamp = JSON.parse(text) as Partial<Stamp>;
  } catch {
    return {};
  }
  if (stamp.version !== 1 || typeof stamp.validFrom !== 'number' || typeof stamp.validUntil !== 'number' || !isSummary(stamp.summary)) return {};
  if (now.getTime() < stamp.validFrom || now.getTime() >= stamp.validUntil) return {};
  const key = await stampKey(options);
  if (!existsSync(options.outDir) || stamp.key !== key) return {};
  // The site first: a rebuild usually follows an edit, and the site has fewer files than the output.
  const listed = inputListing(options);
  if (!listed) return {};
  const start = { key, inputs: listed.inputs };
  if (listed.inputs !== stamp.inputs) return { start };
  return stamp.output === listing([[options.outDir, () => true]], { ms: 0 }) ? { unchanged: stamp.summary } : { start };
}

/**
 * What the last good build into this output folder reported, when nothing it
 * read or wrote has changed since ({@link checkStamp}); `undefined` when a
 * build is needed.
 *
 * @param options The site, the output folder and the flags of this build.
 * @param now     This build's clock.
 */
export async function unchangedSince(options: StampOptions, now: Date): Promise<StampSummary | undefined> {
  return (await checkStamp(options, now)).unchanged;
}

/** One stamp per output folder: `sahifa dev` and `sahifa build` do not overwrite each other's. */
function stampPath(options: StampOptions): string {
  const name = createHash('sha256').update(options.outDir).digest('hex').slice(0, 16);
  return join(cacheRoot(options.root), 'stamps', `${name}.json`);
}

/** sahifa's code, its installed dependencies, Node, Pagefind's variables, and the flags. */
async function stampKey(options: StampOptions): Promise<string> {
  const lock = installedDependencies();
  const { root, outDir, drafts, future, strict } = options;
  return createHash('sha256')
    .update(JSON.stringify({ code: await sahifaFingerprint(), lock, node: process.version, arch: process.arch, env: pagefindVariables(), root, outDir, drafts, future, strict }))
    .digest('hex');
}

/** `PAGEFIND_BINARY_PATH` and the like, which choose the binary that indexes the pages. */
function pagefindVariables(): [string, string | undefined][] {
  return Object.entries(process.env)
    .filter(([name]) => name.startsWith('PAGEFIND_'))
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

/** The size and time of npm's record of the installed packages nearest sahifa's code (any `npm install` changes it). */
function installedDependencies(): string | undefined {
  for (let folder = dirname(THEME_DIR); folder !== dirname(folder); folder = dirname(folder)) {
    const lock = basename(folder) === 'node_modules' ? join(folder, '.package-lock.json') : join(folder, 'node_modules', '.package-lock.json');
    const info = lstatSync(lock, { throwIfNoEntry: false, bigint: true });
    if (info) return `${lock}\0${info.size}\0${info.mtimeNs}\0${info.ino}`;
  }
  return undefined;
}

/** Whether a path under the site root can be an input: not the output, the private folder, git, node_modules or a staging folder. */
function isInput(options: StampOptions, path: string): boolean {
  if (path === options.outDir || path.startsWith(options.outDir + sep)) return false;
  const top = relative(options.root, path).split(sep)[0] ?? '';
  return !NOT_INPUT.has(top) && !top.startsWith(`.${basename(options.outDir)}.`);
}

/**
 * A hash of every file and link under the folders (path, size, time, inode,
 * mode), walked with synchronous calls: thousands of quick `lstat`s. `newest`
 * receives the latest modification time seen.
 */
function listing(folders: readonly [string, (path: string) => boolean][], newest: { ms: number }): string {
  const hash = createHash('sha256');
  for (const [folder, keep] of folders) {
    hash.update(`${folder}\0`);
    const walk = (dir: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (!keep(path)) continue;
        if (entry.isDirectory()) {
          walk(path);
          continue;
        }
        const info = lstatSync(path, { throwIfNoEntry: false, bigint: true });
        if (!info) continue;
        newest.ms = Math.max(newest.ms, Number(info.mtimeMs));
        hash.update(`${path.slice(folder.length)}\0${info.size}\0${info.mtimeNs}\0${info.ctimeNs}\0${info.ino}\0${info.mode}\n`);
      }
    };
    walk(folder);
  }
  return hash.digest('hex');
}

function isSummary(value: unknown): value is StampSummary {
  const summary = value as Partial<StampSummary> | undefined;
  const listOf = (list: unknown, fields: Record<string, 'string' | 'number?' | 'string?'>) =>
    Array.isArray(list) &&
    list.every(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        Object.entries(fields).every(([field, type]) => {
          const found = typeof (item as Record<string, unknown>)[field];
          return found === type.replace('?', '') || (type.endsWith('?') && found === 'undefined');
        }),
    );
  return (
    typeof summary === 'object' &&
    summary !== null &&
    [summary.posts, summary.drafts, summary.pages, summary.emails].every((count) => typeof count === 'number') &&
    listOf(summary.future, { path: 'string', date: 'string' }) &&
    listOf(summary.early, { slug: 'string', date: 'string' }) &&
    listOf(summary.warnings, { file: 'string', reason: 'string', line: 'number?', column: 'number?', ruleId: 'string?' })
  );
}
