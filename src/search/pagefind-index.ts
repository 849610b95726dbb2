import type { CustomRecord } from 'pagefind';
import { checkPagefindBinary } from './pagefind-binary.js';

/** A record for the index: where it leads, and what is searched. */
export type IndexRecord = CustomRecord;

/** Records sent to Pagefind before waiting for its answers. */
const IN_FLIGHT = 64;

/** Builds that are using the Pagefind service right now (it is one child process per Node process). */
let users = 0;

/**
 * Runs Pagefind over the records and returns the files of its bundle by path
 * inside the bundle folder (`pagefind.js`, `pagefind-entry.json`, the wasm,
 * index and fragment files). Pagefind's own UI and playground are left out:
 * the theme's search page has a script of its own.
 *
 * @param records The pages, already normalised (read as they are needed, so they need not all be in memory).
 * @throws {Error} with Pagefind's own words when it fails.
 */
export async function runPagefind(records: Iterable<IndexRecord> | AsyncIterable<IndexRecord>): Promise<Map<string, Uint8Array>> {
  await checkPagefindBinary();
  const pagefind = await import('pagefind');
  users += 1;
  try {
    const { index, errors } = await pagefind.createIndex({ keepIndexUrl: false });
    if (!index) throw new Error(errors.join('; ') || 'Pagefind did not start');
    try {
      // Records go to Pagefind's process a window at a time: one round trip each, waited for in turn, leaves it idle.
      let window: Promise<void>[] = [];
      const add = async (record: IndexRecord) => {
        const added = await index.addCustomRecord(record);
        if (added.errors.length) throw new Error(`${record.url}: ${added.errors.join('; ')}`);
      };
      for await (const record of records) {
        window.push(add(record));
        if (window.length >= IN_FLIGHT) {
          await Promise.all(window);
          window = [];
        }
      }
      await Promise.all(window);
      const written = await index.getFiles();
      if (written.errors.length) throw new Error(written.errors.join('; '));
      const files = new Map<string, Uint8Array>();
      for (const file of written.files) {
        const path = file.path.split('\\').join('/').replace(/^\/+/, '');
        if (!/^pagefind-(?:component-|modular-)?ui|^pagefind-highlight|^playground\//.test(path)) files.set(path, file.content);
      }
      return files;
    } finally {
      await index.deleteIndex();
    }
  } finally {
    users -= 1;
    // The service keeps a child process alive; without close() a build from the CLI would not exit.
    if (users === 0) await pagefind.close();
  }
}
