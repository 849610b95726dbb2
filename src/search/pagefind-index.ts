import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CustomRecord } from 'pagefind';
import { isBundlePath } from './index-cache.js';
import { checkPagefindBinary, pagefindBinary } from './pagefind-binary.js';
import { PagefindService, PagefindStopped, type ServiceAnswer } from './pagefind-service.js';

/** A record for the index: where it leads, and what is searched. */
export type IndexRecord = CustomRecord;

/** Records sent to Pagefind before waiting for its answers. */
const IN_FLIGHT = 64;

/** Files of Pagefind's bundle the theme does not use: its own UI and playground (the search page has a script of its own). */
const UNUSED = /^(?:pagefind-(?:component-|modular-)?ui|pagefind-highlight)|^playground$/;

/** One index for Pagefind to make: its records and the folder for its bundle. */
export interface PagefindJob {
  /** The pages, already normalised (read as they are needed, so they need not all be in memory). */
  records: Iterable<IndexRecord> | AsyncIterable<IndexRecord>;
  /** An absolute path for the bundle, which should not exist yet. */
  folder: string;
}

/**
 * Runs Pagefind over the records of each job, one index after another in
 * one Pagefind process, and writes each bundle into its folder
 * (`pagefind.js`, `pagefind-entry.json`, the wasm, index and fragment
 * files), which it creates. Pagefind's own UI and playground are left out.
 *
 * The bundle comes back in Pagefind's answer (`GetFiles`) and this process
 * writes it: Pagefind's own `WriteFiles` answers before its last writes
 * have reached the files (its asynchronous file handles are dropped without
 * a flush: Pagefind issue 1271), and a build on a busy machine read an
 * empty `pagefind-entry.json`. A bundle is one part of the index (0.7 MB of
 * files, an answer of 1.3 MB, at 4,000 posts; twice that at 20,000, and
 * growing with the site past `MAX_PARTS` parts), so holding one answer in
 * memory at a time costs little.
 *
 * @param jobs The indexes to make.
 * @throws {Error} with Pagefind's own words when it fails, or how it stopped when it exits or is killed.
 */
export async function runPagefind(jobs: readonly PagefindJob[]): Promise<void> {
  // The service starts while the binary answers --version: one process start less to wait for. A binary that fails the check
  // says why in one line, and its service is stopped unused.
  const checked = checkPagefindBinary();
  const binary = pagefindBinary();
  const service = binary === undefined ? undefined : new PagefindService(binary);
  try {
    await checked;
  } catch (error) {
    service?.close();
    throw error;
  }
  if (!service) throw new Error('no Pagefind binary');
  try {
    for (const job of jobs) await makeIndex(service, job);
  } finally {
    service.close();
  }
}

/** One index made by a running Pagefind service. */
async function makeIndex(service: PagefindService, { records, folder }: PagefindJob): Promise<void> {
  const created = await service.request({ type: 'NewIndex', config: { keep_index_url: false } });
  const index = created.index_id;
  if (typeof index !== 'number') throw new Error(`Pagefind answered ${created.type} to a new index`);
  // Records go to Pagefind's process a window at a time: one round trip each, waited for in turn, leaves it idle.
  let window: Promise<unknown>[] = [];
  const add = (record: IndexRecord) => {
    const url = record.url;
    // The answer's handler keeps only the address: the record itself is garbage once sent.
    return service.request({ type: 'AddRecord', index_id: index, url, content: record.content, language: record.language, meta: record.meta, filters: record.filters, sort: record.sort }).catch((error: unknown) => {
      throw error instanceof PagefindStopped ? error : new Error(`${url}: ${(error as Error).message}`);
    });
  };
  for await (const record of records) {
    const added = add(record);
    // Handled now as well as in Promise.all below: when Pagefind stops, every request in the window fails at once, maybe while a page is being read.
    added.catch(() => undefined);
    window.push(added);
    if (window.length >= IN_FLIGHT) {
      await Promise.all(window);
      window = [];
    }
  }
  await Promise.all(window);
  const bundle = await service.request({ type: 'GetFiles', index_id: index });
  // Pagefind keeps an index in memory until told otherwise: the next part's should not sit beside it.
  await service.request({ type: 'DeleteIndex', index_id: index });
  await writeBundle(folder, bundle);
}

/** Files every bundle holds: an answer without them is not a whole index. */
const REQUIRED = ['pagefind-entry.json', 'pagefind.js'];

/** Base64 as Pagefind writes it (standard alphabet, padded): anything else would decode to other bytes without an error. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Writes the files of Pagefind's `GetFiles` answer into `folder` (created),
 * leaving out its UI and playground; an answer that is not a whole bundle
 * (no list, a path outside the bundle, content that is not base64, the
 * entry or the script missing) fails the index instead.
 */
async function writeBundle(folder: string, answer: ServiceAnswer): Promise<void> {
  const fail = (what: string) => new Error(`its answer to a request for the index's files ${what}`);
  if (!Array.isArray(answer.files)) throw fail('held no list of files');
  const files = (answer.files as unknown[]).map((file) => {
    const { path: given, content } = (file ?? {}) as { path?: unknown; content?: unknown };
    // Pagefind gives the path in the system's own form (`\` on Windows).
    const path = typeof given === 'string' ? given.replaceAll('\\', '/') : given;
    if (typeof path !== 'string' || !isBundlePath(path)) throw fail(`named a file it cannot have made (${JSON.stringify(String(path)).slice(0, 80)})`);
    if (typeof content !== 'string' || !BASE64.test(content)) throw fail(`held ${path} in a form other than base64`);
    return { path, content };
  });
  for (const name of REQUIRED) if (!files.some((file) => file.path === name)) throw fail(`left out ${name}`);
  await mkdir(folder, { recursive: true });
  for (const { path, content } of files) {
    if (UNUSED.test(path.split('/')[0]!)) continue;
    const target = join(folder, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, Buffer.from(content, 'base64'));
  }
}
