import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directionOf } from '../config/direction.js';
import { CONFIG_FILE } from '../config/load-config.js';
import type { SiteConfig } from '../config/schema.js';
import { fileFailure } from '../diagnostics/build-failure.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { BLOG_OUTPUTS } from '../pipeline/output-layout.js';
import { dropIndex, keepIndex, newIndexFolder, readCachedIndex, readIndexFiles, readNewIndex } from './index-cache.js';
import { indexOnlyForms, normalizeSearchText, SEARCH_NORMALIZATION } from './normalize.js';
import { pageRecord, type PageRecord } from './page-record.js';
import { runPagefind, type IndexRecord } from './pagefind-index.js';
import { RecordCache } from './record-cache.js';

/** What the search step adds to `dist/blog/`, and how it got there. */
export interface SearchIndex {
  /** `pagefind/…` files by path under `dist/blog/`, read one at a time from disk as they are iterated (iterate them once, to the end: a new index is kept in the cache at the end). */
  files: AsyncIterable<readonly [string, Uint8Array]>;
  /** How many pages the index holds. */
  pages: number;
  /** True when the index was taken from the cache, the pages being the same as last time. */
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
      const record = (html.includes('data-pagefind-body') && pageRecord(html)) || null;
      if (sha256 !== undefined) cache?.put(sha256, record);
      return record;
    };
    const pages: string[] = [];
    for (const path of blog.paths.filter((name) => name.endsWith('.html')).sort()) {
      const record = await recordOf(path);
      if (!record) continue;
      pages.push(path);
      hash.update(`\0${path}\0${blog.sha256(path) ?? JSON.stringify(record)}`);
    }
    cache?.flush();
    const key = hash.digest('hex');
    const cachedIndex = await readCachedIndex(root, key);
    const files = cachedIndex ? readIndexFiles(cachedIndex) : await newIndex(root, key, keep, (folder) => buildIndex(pages, recordOf, language, folder));
    return { files: underIndexFolder(files), pages: pages.length, reused: cachedIndex !== undefined, read };
  } finally {
    own?.close();
  }
}

/**
 * Has Pagefind write a new index into a folder and gives its files one at
 * a time. With `keep`, the folder is staged in the search cache and kept
 * there once every file was read (a build that fails before that keeps
 * nothing); otherwise it is a temporary folder, and the (in-memory) build
 * gets the files read whole before it is removed.
 */
async function newIndex(root: string, key: string, keep: boolean, build: (folder: string) => Promise<void>): Promise<AsyncIterable<readonly [string, Uint8Array]>> {
  const { staging, bundle } = keep ? await newIndexFolder(root, key) : await temporaryFolder();
  try {
    await build(bundle);
    if (!keep) {
      const files: [string, Uint8Array][] = [];
      for await (const file of readNewIndex(bundle, {})) files.push(file);
      await dropIndex(staging);
      return (async function* () {
        yield* files;
      })();
    }
    return keptWhenRead(root, key, staging, bundle);
  } catch (error) {
    await dropIndex(staging);
    throw error;
  }
}

async function temporaryFolder(): Promise<{ staging: string; bundle: string }> {
  const staging = await mkdtemp(join(tmpdir(), 'sahifa-search-'));
  return { staging, bundle: join(staging, 'bundle') };
}

/** The staged index's files, each read once; when the last was read, the index is kept in the cache (an abandoned read drops it). */
async function* keptWhenRead(root: string, key: string, staging: string, bundle: string): AsyncGenerator<readonly [string, Uint8Array]> {
  const hashes: Record<string, string> = {};
  let whole = false;
  try {
    yield* readNewIndex(bundle, hashes);
    whole = true;
  } finally {
    if (whole) await keepIndex(root, key, staging, hashes);
    else await dropIndex(staging);
  }
}

/** The index's files by path under `dist/blog/`. */
async function* underIndexFolder(files: AsyncIterable<readonly [string, Uint8Array]>): AsyncGenerator<readonly [string, Uint8Array]> {
  for await (const [path, content] of files) yield [`${BLOG_OUTPUTS.searchIndex}/${path}`, content];
}

/** Feeds the pages' records to Pagefind, one page at a time (each taken from the record cache, or read again), and has it write the bundle into `folder`. */
async function buildIndex(pages: readonly string[], recordOf: (path: string) => Promise<PageRecord | null>, language: string, folder: string): Promise<void> {
  async function* records(): AsyncGenerator<IndexRecord> {
    for (const path of pages) {
      const record = await recordOf(path);
      if (record) yield indexRecord(path, record, language);
    }
  }
  try {
    await runPagefind(records(), folder);
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
