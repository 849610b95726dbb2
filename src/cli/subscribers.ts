import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { LANGUAGE_TAG } from '../config/direction.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { normalizeAddress } from '../send/address.js';
import { exportCsv, importCsv } from '../send/csv.js';
import { parseColumnMap } from '../send/csv-columns.js';
import { readCsvFile } from '../send/csv-file.js';
import { openSiteDatabase, siteDatabasePath, type SahifaDatabase } from '../send/database.js';
import { databaseError, isSqliteError } from '../send/database-errors.js';
import { findSubscriber, listSubscribers, removeSubscriber, setSubscriberState, upsertSubscriber } from '../send/subscribers.js';
import { plural, printError } from './output.js';

/**
 * Opens the site's database for one command and closes it after. Errors are
 * printed on one line; a SQLite failure is named with the database's file.
 */
async function withDatabase(root: string, task: (db: SahifaDatabase) => Promise<number> | number): Promise<number> {
  try {
    const config = await loadConfig(resolve(root));
    const path = siteDatabasePath(root, config);
    const db = openSiteDatabase(resolve(root), config);
    try {
      return await task(db);
    } catch (error) {
      throw isSqliteError(error) ? databaseError(path, error) : error;
    } finally {
      db.close();
    }
  } catch (error) {
    printError(error);
    return 1;
  }
}

/** Subscriber data for a line of terminal output: inert, and without TABs that would shift the columns. */
function cell(text: string | null): string {
  return terminalSafe(text ?? '').replaceAll('\t', '\\u{9}');
}

/** A checked address, or an error that says what is wrong with it. */
function address(input: string): string {
  const checked = normalizeAddress(input);
  if (!checked.ok) throw new Error(terminalSafe(checked.reason));
  return checked.address;
}

/** The subscriber with this address, or an error that says it is not on the list. */
function onTheList(db: SahifaDatabase, input: string) {
  const normal = address(input);
  const subscriber = findSubscriber(db, normal);
  if (!subscriber) throw new Error(`${terminalSafe(normal)} is not on the list`);
  return subscriber;
}

/**
 * JSON whose text is also safe on a terminal: the C1 controls, bidi controls
 * and line separators that `JSON.stringify` leaves raw are written as `\uXXXX`
 * escapes, which parse to the same value.
 */
function terminalSafeJson(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `sahifa subscribers import FILE.csv [--map …] [--state …]`.
 *
 * @param root  The site root.
 * @param file  The CSV file.
 * @param flags `--map` and `--state`, as given.
 */
export function runImport(root: string, file: string, flags: { map?: string; state?: string } = {}): Promise<number> {
  return withDatabase(root, async (db) => {
    if (flags.state !== undefined && flags.state !== 'unsubscribed' && flags.state !== 'bounced') {
      throw new Error(`--state expects unsubscribed or bounced, got "${terminalSafe(flags.state)}" (rows are active unless a column or --state says otherwise)`);
    }
    const map = flags.map === undefined ? undefined : parseColumnMap(flags.map);
    const report = importCsv(db, await readCsvFile(file), file, { map, state: flags.state });
    for (const bad of report.bad) process.stderr.write(`${terminalSafe(file)}:${bad.line}: error ${terminalSafe(bad.reason)}\n`);
    process.stdout.write(`Imported ${terminalSafe(file)}: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${plural(report.bad.length, 'bad row')}\n`);
    if (report.pending) process.stdout.write(`Left out ${plural(report.pending, 'pending sign-up')}: never confirmed by email, so not imported as subscribers; they can subscribe again from the site\n`);
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
    if (details.lang && !LANGUAGE_TAG.test(details.lang)) throw new Error(`--lang: "${terminalSafe(details.lang)}" is no language tag (expected e.g. ar, en, fa)`);
    const normal = address(input);
    const result = upsertSubscriber(db, normal, { ...details, state: 'active', reactivate: true });
    process.stdout.write(`${terminalSafe(normal)}: ${result}\n`);
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
    process.stdout.write(`${terminalSafe(subscriber.email)}: removed\n`);
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
    process.stdout.write(`${terminalSafe(subscriber.email)}: ${state}\n`);
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
    if (json) process.stdout.write(`${terminalSafeJson(subscribers)}\n`);
    else for (const s of subscribers) process.stdout.write(`${[s.email, s.state, s.name, s.lang].map(cell).join('\t')}\n`);
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
    await writeFile(file, exportCsv(db)).catch((error: unknown) => {
      throw new Error(`${terminalSafe(file)}: cannot write the export (${(error as Error).message}): give a file in a folder you can write`);
    });
    const all = listSubscribers(db);
    const pending = all.filter(({ state }) => (state as string) === 'pending').length;
    process.stdout.write(`Exported ${plural(all.length - pending, 'subscriber')} to ${terminalSafe(file)}\n`);
    if (pending > 0) process.stdout.write(`Left out ${plural(pending, 'pending sign-up')}: they have not confirmed by email yet, so they are not subscribers (their consent records stay in the database)\n`);
    return 0;
  });
}
