import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sahifaFingerprint } from '../cache/cache-root.js';
import { directionOf } from '../config/direction.js';
import { CONFIG_FILE } from '../config/load-config.js';
import type { SiteConfig } from '../config/schema.js';
import { fileFailure } from '../diagnostics/build-failure.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { BLOG_OUTPUTS } from '../pipeline/output-layout.js';
import { dropIndex, keepIndex, keepOnly, keptFiles, newIndexFolder, readCachedIndex, readNewIndex, type IndexFileEntry, type KeptFile } from './index-cache.js';
import { dealParts, partPages, PARTS_FILE } from './index-parts.js';
import { indexOnlyForms, normalizeSearchText, SEARCH_NORMALIZATION } from './normalize.js';
import { pageRecord, type PageRecord } from './page-record.js';
import { readPageTable, writePageTable, type PageEntry } from './page-table.js';
import { runPagefind, type IndexRecord, type PagefindJob } from './pagefind-index.js';
import { RecordCache } from './record-cache.js';

/** A file of the index: its bytes, or, for a file of a cached part, its hash and size and a way to read it. */
export type IndexFile = Uint8Array | KeptFile;

/** What the search step adds to `dist/blog/`, and how it got there. */
export interface SearchIndex {
  /** `pagefind/…` files by path under `dist/blog/`, read one at a time from disk as they are iterated (iterate them once, to the end: a new part is kept in the cache once its files were read). */
  files: AsyncIterable<readonly [string, IndexFile]>;
  /** How many pages the index holds. */
  pages: number;
  /** How many parts the index is cut into (see `index-parts.ts`). */
  parts: number;
  /** How many parts Pagefind made in this build (the others were taken from the cache, their pages being the same as last time). */
  built: number;
  /** True when every part was taken from the cache. */
  reused: boolean;
  /** Pages this step read back from the output (the others' records were in the record cache: stored as their page was rendered, or by an earlier build). */
  read: number;
}

/**
 * The installed Pagefind's version, part of the cache key. Its package exports
 * only an `import` entry (no `package.json`, nothing `require` can resolve),
 * so its folder is looked up where Node would look.
 */
async function pagefindVersion(): Promise<string> {
  for (const folder of createRequire(import.meta.url).resolve.paths('pagefind') ?? []) {
    const manifest = await readFile(join(folder, 'pagefind', 'package.json'), 'utf8').catch(() => undefined);
    if (manifest !== undefined) return String((JSON.parse(manifest) as { version?: unknown }).version);
  }
  return 'unknown';
}

/** Bumped when what is fed to Pagefind changes shape, so an old cached index is not reused. */
const RECORD_FORMAT = 1;

/** The blog pages a build wrote, read one at a time (a build does not hold them all in memory). */
export interface BuiltPages {
  /** Every file written under `dist/blog/`, by path under it. */
  paths: readonly string[];
  /** One page's HTML. */
  read(path: string): Promise<string>;
  /** One page's SHA-256 (hex), as the build recorded it when writing it. */
  sha256(path: string): string | undefined;
}

/**
 * Indexes the built blog pages for search into `pagefind/` (Pagefind's
 * bundle, which the search page loads). Only pages with a
 * `data-pagefind-body` element are indexed. What each page gives the index
 * is kept by the page's hash (`RecordCache`), so only pages whose bytes
 * changed are read and parsed; the index itself is kept under
 * `.sahifa/cache/search/` keyed by the indexed pages' paths and hashes, and
 * reused while they are unchanged. No more than one page's HTML is held at a
 * time.
 *
 * Every page goes into one index, in the site's language: the site's one
 * search page then finds posts in every language (Pagefind would otherwise
 * keep an index per `<html lang>` and search only its own). Each result
 * keeps its page's language and direction.
 *
 * @param root   The site root (for the cache).
 * @param config The site configuration.
 * @param blog   The pages written under `dist/blog/`.
 * @param keep   Whether records and a newly built index are kept in the cache.
 * @param records The build's record cache, when it has one open (the posts' records were stored as they were rendered); otherwise one is opened.
 * @throws {BuildFailure} when Pagefind fails: the build then writes nothing.
 */
export async function indexBlog(root: string, config: SiteConfig, blog: BuiltPages, keep = true, records?: RecordCache): Promise<SearchIndex> {
  const language = new Intl.Locale(config.lang).language;
  const hash = createHash('sha256').update(JSON.stringify({ pagefind: await pagefindVersion(), RECORD_FORMAT, language, SEARCH_NORMALIZATION }));
  const own = keep && !records ? await RecordCache.open(root) : undefined;
  const cache = records ?? own;
  // Records stored while the posts were rendered wait in a batch: stored now, so that they are found.
  cache?.flush();
  let read = 0;
  try {
    const recordOf = async (path: string): Promise<PageRecord | null> => {
      const sha256 = blog.sha256(path);
      const cached = sha256 === undefined ? undefined : cache?.get(sha256);
      if (cached !== undefined) return cached;
      read += 1;
      const html = await blog.read(path);
      const record = pageRecord(html) ?? null;
      if (sha256 !== undefined) cache?.put(sha256, record);
      return record;
    };
    const common = hash.digest('hex');
    const tableKey = `${await sahifaFingerprint()}\0${common}`;
    const known = await readPageTable(root, tableKey);
    const seen = new Map<string, PageEntry>();
    const pages: string[] = [];
    const hashes = new Map<string, string>();
    for (const path of blog.paths.filter((name) => name.endsWith('.html')).sort()) {
      const sha256 = blog.sha256(path);
      const last = known.get(path);
      // Known from the last build's table, or from the record cache without reading the record; else the record.
      let indexed = sha256 === undefined ? undefined : last?.[0] === sha256 ? last[1] : cache?.indexed(sha256);
      if (indexed === undefined) {
        const record = await recordOf(path);
        indexed = record !== null;
        if (sha256 === undefined && record) hashes.set(path, createHash('sha256').update(JSON.stringify(record)).digest('hex'));
      }
      if (sha256 !== undefined) seen.set(path, [sha256, indexed]);
      if (!indexed) continue;
      pages.push(path);
      if (sha256 !== undefined) hashes.set(path, sha256);
    }
    cache?.flush();
    const parts = dealParts(pages, partPages());
    const keyed = await Promise.all(
      parts.map(async (part) => {
        const key = createHash('sha256').update(`${common}\0${part.number}/${part.of}`);
        for (const path of part.pages) key.update(`\0${path}\0${hashes.get(path)}`);
        const digest = key.digest('hex');
        return { ...part, key: digest, cached: await readCachedIndex(root, digest) };
      }),
    );
    const toBuild = keyed.filter((part) => part.cached === undefined);
    const made = await newParts(root, keep, toBuild, (jobs) => buildIndex(jobs, recordOf, language));
    async function* files(): AsyncGenerator<readonly [string, IndexFile]> {
      let whole = false;
      try {
        yield [PARTS_FILE, Buffer.from(JSON.stringify(keyed.slice(1).map((part) => part.folder)))];
        for (const part of keyed) {
          const within = part.cached ? keptFiles(part.cached) : made.get(part.number)!.files;
          for await (const [path, content] of within) yield [`${part.folder}${path}`, content];
        }
        whole = true;
      } finally {
        // A build that stops reading (it failed) keeps none of the new parts it did not finish.
        if (!whole) for (const { staging } of made.values()) await dropIndex(staging);
      }
      if (keep) {
        await keepOnly(root, new Set(keyed.map((part) => part.key)));
        await writePageTable(root, tableKey, seen);
      }
    }
    return { files: underIndexFolder(files()), pages: pages.length, parts: keyed.length, built: toBuild.length, reused: toBuild.length === 0, read };
  } finally {
    own?.close();
  }
}

/**
 * Has Pagefind write the parts of the index that the cache lacks, each into
 * a folder of its own, and gives each part's files one at a time. With
 * `keep`, each folder is staged in the search cache and kept there once
 * every file of it was read (a build that fails before that keeps nothing
 * of it); otherwise it is a temporary folder, and the (in-memory) build gets
 * the files read whole before it is removed.
 */
async function newParts(
  root: string,
  keep: boolean,
  parts: ReadonlyArray<{ number: number; key: string; pages: readonly string[] }>,
  build: (jobs: Array<{ pages: readonly string[]; folder: string }>) => Promise<void>,
): Promise<Map<number, { staging: string; files: AsyncIterable<[string, Uint8Array]> | Iterable<[string, Uint8Array]> }>> {
  const folders = [];
  try {
    for (const part of parts) folders.push({ part, ...(keep ? await newIndexFolder(root, part.key) : await temporaryFolder()) });
    if (folders.length > 0) await build(folders.map(({ part, bundle }) => ({ pages: part.pages, folder: bundle })));
    const made = new Map<number, { staging: string; files: AsyncIterable<[string, Uint8Array]> | Iterable<[string, Uint8Array]> }>();
    for (const { part, staging, bundle } of folders) {
      if (keep) {
        made.set(part.number, { staging, files: keptWhenRead(root, part.key, staging, bundle) });
        continue;
      }
      const files: [string, Uint8Array][] = [];
      for await (const file of readNewIndex(bundle, {})) files.push(file);
      await dropIndex(staging);
      made.set(part.number, { staging, files });
    }
    return made;
  } catch (error) {
    for (const { staging } of folders) await dropIndex(staging);
    throw error;
  }
}

async function temporaryFolder(): Promise<{ staging: string; bundle: string }> {
  const staging = await mkdtemp(join(tmpdir(), 'sahifa-search-'));
  return { staging, bundle: join(staging, 'bundle') };
}

/** The staged index's files, each read once; when the last was read, the index is kept in the cache (an abandoned read drops it). */
async function* keptWhenRead(root: string, key: string, staging: string, bundle: string): AsyncGenerator<[string, Uint8Array]> {
  const files: Record<string, IndexFileEntry> = {};
  let whole = false;
  try {
    yield* readNewIndex(bundle, files);
    whole = true;
  } finally {
    if (whole) await keepIndex(root, key, staging, files);
    else await dropIndex(staging);
  }
}

/** The index's files by path under `dist/blog/`. */
async function* underIndexFolder(files: AsyncIterable<readonly [string, IndexFile]>): AsyncGenerator<readonly [string, IndexFile]> {
  for await (const [path, content] of files) yield [`${BLOG_OUTPUTS.searchIndex}/${path}`, content];
}

/** Feeds each part's records to Pagefind, one page at a time (each taken from the record cache, or read again), and has it write the part's bundle into its folder. */
async function buildIndex(parts: ReadonlyArray<{ pages: readonly string[]; folder: string }>, recordOf: (path: string) => Promise<PageRecord | null>, language: string): Promise<void> {
  async function* records(pages: readonly string[]): AsyncGenerator<IndexRecord> {
    for (const path of pages) {
      const record = await recordOf(path);
      if (record) yield indexRecord(path, record, language);
    }
  }
  try {
    await runPagefind(parts.map((part): PagefindJob => ({ records: records(part.pages), folder: part.folder })));
  } catch (error) {
    throw fileFailure(
      CONFIG_FILE,
      `the search index could not be built (Pagefind: ${terminalSafe((error as Error).message)}): reinstall the dependencies (npm install) so Pagefind's binary is there, or set "search": false in ${CONFIG_FILE} to build without search`,
      'search-index',
      { cause: error },
    );
  }
}

/** What Pagefind gets for one page: the words normalised, the meta as the page shows them. */
function indexRecord(path: string, record: PageRecord, language: string): IndexRecord {
  const url = path.replace(/(^|\/)index\.html$/, '$1').split('/').map(encodeURIComponent).join('/');
  const words = normalizeSearchText(record.text);
  const lang = record.lang || language;
  const meta: Record<string, string> = { ...record.meta, lang, dir: directionOf(lang) };
  if (meta.image) meta.image = fromRoot(meta.image, url);
  return { url, language, content: [words, ...indexOnlyForms(words)].join('\n'), meta, filters: record.filters };
}

/** An address relative to a page made relative to the blog root (absolute ones stay absolute). */
function fromRoot(address: string, pageUrl: string): string {
  const base = 'https://blog.invalid/';
  const resolved = new URL(address, base + pageUrl);
  return resolved.origin === new URL(base).origin ? resolved.pathname.slice(1) + resolved.search : resolved.href;
}
