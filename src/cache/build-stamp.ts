import { createHash } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, PRIVATE_DIR, sahifaFingerprint } from './cache-root.js';
import { folderListingHash, listFiles, listingHash, type ListedFile } from './file-listing.js';

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
  /** The site's files as listed, by path relative to the root (for the posts' entries of the next stamp). */
  files?: ReadonlyMap<string, ListedFile>;
  /**
   * The SHA-256 of each post file's text, by absolute path, for the posts
   * whose file is exactly as the last good build read it (same `lstat`):
   * the build need not read them to find them in the content cache.
   */
  trusted?: ReadonlyMap<string, string>;
}

/** A post file as the stamped build read it: size, modification and change times, inode, and the SHA-256 of its text. */
type StampedPost = [size: string, mtimeMs: string, ctimeMs: string, ino: string, sha256: string];

interface Stamp {
  version: 1;
  key: string;
  inputs: string;
  /** The post files the build read, by path relative to the root. */
  posts?: Record<string, StampedPost>;
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
  return listed && { key: await stampKey(options), ...listed };
}

/** The listing of the site's files and the default theme's, or `undefined` when a file is too new to be trusted by its time. */
function inputListing(options: StampOptions): { inputs: string; files: ReadonlyMap<string, ListedFile> } | undefined {
  const listedAt = Date.now();
  const newest = { ms: 0 };
  const files = listFiles(options.root, (path) => isInput(options, path), newest);
  const inputs = listingHash([
    [options.root, files],
    [THEME_DIR, listFiles(THEME_DIR, () => true, newest)],
  ]);
  return newest.ms >= listedAt - RACY_MS ? undefined : { inputs, files };
}

/**
 * Writes the stamp of a build that has just replaced its output folder.
 *
 * @param options    The site, output folder and flags (as given to {@link startStamp}).
 * @param start      The listing taken when the build started.
 * @param clock      The build's clock, and when its output may change by the clock alone (a post's date, a new year).
 * @param summary    What the build reported.
 * @param outputFiles The output folder's files as the build left them, when it knows them without walking the folder again.
 * @param postSources The SHA-256 of each post file's text the build read, by absolute path.
 */
export async function writeStamp(
  options: StampOptions,
  start: StampStart,
  clock: { now: Date; validUntil: number },
  summary: StampSummary,
  outputFiles?: ReadonlyMap<string, ListedFile>,
  postSources?: ReadonlyMap<string, string>,
): Promise<void> {
  const output = outputListing(options.outDir, outputFiles);
  const posts: Record<string, StampedPost> = {};
  for (const [path, sha256] of postSources ?? []) {
    const name = relative(options.root, path).split(sep).join('/');
    const listed = start.files?.get(name);
    if (listed) posts[name] = [String(listed.size), String(listed.mtimeMs), String(listed.ctimeMs), String(listed.ino), sha256];
  }
  const stamp: Stamp = { version: 1, key: start.key, inputs: start.inputs, posts, output, validFrom: clock.now.getTime(), validUntil: clock.validUntil, summary };
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
  // Whatever changed, the posts whose file did not are vouched for (worked out only when a build follows).
  const start = () => ({ key, ...listed, trusted: unchangedPosts(options.root, stamp.posts, listed.files) });
  if (listed.inputs !== stamp.inputs) return { start: start() };
  return stamp.output === outputListing(options.outDir) ? { unchanged: stamp.summary } : { start: start() };
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

/** The SHA-256 of each post the stamped build read whose file is still exactly as it was then, by absolute path. */
function unchangedPosts(root: string, stamped: unknown, files: ReadonlyMap<string, ListedFile>): Map<string, string> {
  const trusted = new Map<string, string>();
  if (!stamped || typeof stamped !== 'object') return trusted;
  for (const [name, entry] of Object.entries(stamped as Record<string, unknown>)) {
    const now = files.get(name);
    if (!now || !Array.isArray(entry) || entry.length !== 5) continue;
    const [size, mtimeMs, ctimeMs, ino, sha256] = entry as unknown[];
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) continue;
    if (size === String(now.size) && mtimeMs === String(now.mtimeMs) && ctimeMs === String(now.ctimeMs) && ino === String(now.ino) && now.file) trusted.set(join(root, ...name.split('/')), sha256);
  }
  return trusted;
}

/** The hash of the output folder's listing, walked unless given. */
function outputListing(outDir: string, files?: ReadonlyMap<string, ListedFile>): string {
  return files ? listingHash([[outDir, files]]) : folderListingHash(outDir);
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
    .update(JSON.stringify({ code: await sahifaFingerprint(), lock, node: process.version, arch: process.arch, env: searchVariables(), root, outDir, drafts, future, strict }))
    .digest('hex');
}

/** `PAGEFIND_BINARY_PATH` and the like, which choose the binary that indexes the pages, and `SAHIFA_SEARCH_PART_PAGES`, which cuts the index. */
function searchVariables(): [string, string | undefined][] {
  return Object.entries(process.env)
    .filter(([name]) => name.startsWith('PAGEFIND_') || name.startsWith('SAHIFA_SEARCH_'))
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
  // Sliced, not `relative()`: this runs for every file of the site, and `relative` resolves both paths each time.
  const inside = path.startsWith(options.root + sep) ? path.slice(options.root.length + 1) : relative(options.root, path);
  const top = inside.split(sep, 1)[0] ?? '';
  return !NOT_INPUT.has(top) && !top.startsWith(`.${basename(options.outDir)}.`);
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
