import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { LANGUAGE_TAG } from '../config/direction.js';
import { normalizeAddress } from '../send/address.js';
import { exportCsv, importCsv } from '../send/csv.js';
import { openSiteDatabase, type SahifaDatabase } from '../send/database.js';
import { findSubscriber, listSubscribers, removeSubscriber, setSubscriberState, upsertSubscriber } from '../send/subscribers.js';
import { plural, printError } from './output.js';

/** Opens the site's database for one command and closes it after. */
async function withDatabase(root: string, task: (db: SahifaDatabase) => Promise<number> | number): Promise<number> {
  try {
    const config = await loadConfig(resolve(root));
    const db = openSiteDatabase(resolve(root), config);
    try {
      return await task(db);
    } finally {
      db.close();
    }
  } catch (error) {
    printError(error);
    return 1;
  }
}

/** A checked address, or an error that says what is wrong with it. */
function address(input: string): string {
  const checked = normalizeAddress(input);
  if (!checked.ok) throw new Error(checked.reason);
  return checked.address;
}

/** The subscriber with this address, or an error that says it is not on the list. */
function onTheList(db: SahifaDatabase, input: string) {
  const normal = address(input);
  const subscriber = findSubscriber(db, normal);
  if (!subscriber) throw new Error(`${normal} is not on the list`);
  return subscriber;
}

/**
 * `sahifa subscribers import FILE.csv`.
 *
 * @param root The site root.
 * @param file The CSV file.
 */
export function runImport(root: string, file: string): Promise<number> {
  return withDatabase(root, async (db) => {
    const report = importCsv(db, await readFile(file, 'utf8'));
    for (const bad of report.bad) process.stderr.write(`${file}:${bad.line}: error ${bad.reason}\n`);
    process.stdout.write(`Imported ${file}: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${plural(report.bad.length, 'bad row')}\n`);
    return report.bad.length ? 1 : 0;
  });
}

/**
 * `sahifa subscribers add ADDRESS [--name N] [--lang L]`.
 *
 * @param root    The site root.
 * @param input   The address.
 * @param details Name and language.
 */
export function runAdd(root: string, input: string, details: { name?: string; lang?: string }): Promise<number> {
  return withDatabase(root, (db) => {
    if (details.lang && !LANGUAGE_TAG.test(details.lang)) throw new Error(`--lang: "${details.lang}" is no language tag (expected e.g. ar, en, fa)`);
    const normal = address(input);
    const result = upsertSubscriber(db, normal, { ...details, state: 'active' });
    process.stdout.write(`${normal}: ${result}\n`);
    return 0;
  });
}

/**
 * `sahifa subscribers remove ADDRESS`.
 *
 * @param root  The site root.
 * @param input The address.
 */
export function runRemove(root: string, input: string): Promise<number> {
  return withDatabase(root, (db) => {
    const subscriber = onTheList(db, input);
    removeSubscriber(db, subscriber.email);
    process.stdout.write(`${subscriber.email}: removed\n`);
    return 0;
  });
}

/**
 * `sahifa subscribers unsubscribe ADDRESS` and `sahifa subscribers bounce
 * ADDRESS`: stop sending to someone but keep the record (for a request that
 * came by mail, or a hard bounce).
 *
 * @param root  The site root.
 * @param input The address.
 * @param state The new state.
 */
export function runSetState(root: string, input: string, state: 'unsubscribed' | 'bounced'): Promise<number> {
  return withDatabase(root, (db) => {
    const subscriber = onTheList(db, input);
    setSubscriberState(db, subscriber.email, state);
    process.stdout.write(`${subscriber.email}: ${state}\n`);
    return 0;
  });
}

/**
 * `sahifa subscribers list [--json]`.
 *
 * @param root The site root.
 * @param json Print JSON instead of lines.
 */
export function runList(root: string, json: boolean): Promise<number> {
  return withDatabase(root, (db) => {
    const subscribers = listSubscribers(db);
    if (json) process.stdout.write(`${JSON.stringify(subscribers, null, 2)}\n`);
    else for (const s of subscribers) process.stdout.write(`${s.email}\t${s.state}\t${s.name ?? ''}\t${s.lang ?? ''}\n`);
    return 0;
  });
}

/**
 * `sahifa subscribers export FILE.csv`.
 *
 * @param root The site root.
 * @param file Where to write.
 */
export function runExport(root: string, file: string): Promise<number> {
  return withDatabase(root, async (db) => {
    await writeFile(file, exportCsv(db));
    process.stdout.write(`Exported ${plural(listSubscribers(db).length, 'subscriber')} to ${file}\n`);
    return 0;
  });
}
