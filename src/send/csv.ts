import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { LANGUAGE_TAG } from '../config/direction.js';
import { normalizeAddress } from './address.js';
import { indexColumns, readRow, type ColumnMap } from './csv-columns.js';
import { neutraliseCell, restoreCell } from './csv-formula.js';
import type { SahifaDatabase } from './database.js';
import { listSubscribers, mostRestrictive, upsertSubscriber, type SubscriberState } from './subscribers.js';

/** Choices for an import of a file whose columns or meaning sahifa cannot tell by itself. */
export interface ImportChoices {
  /** `--map`: which header cell holds which column. */
  map?: ColumnMap;
  /** `--state`: every row is at least this restricted (a file of people who unsubscribed or bounced). */
  state?: Exclude<SubscriberState, 'active'>;
}

/** A row of an import that was refused, with its line in the file. */
export interface BadRow {
  line: number;
  reason: string;
}

/** What an import did. */
export interface ImportReport {
  added: number;
  updated: number;
  unchanged: number;
  bad: BadRow[];
  /** Rows of sign-ups never confirmed (`pending`), left out: importing must never make them subscribers. */
  pending?: number;
}

interface CsvRow {
  record: string[];
  info: { lines: number };
}

/** How to fix a row the CSV parser could not read. */
const QUOTING = 'wrap a field that holds a comma, a quote or a line break in double quotes, and double each quote inside it';

/** The columns of an export, in order. */
const EXPORT_COLUMNS = ['email', 'name', 'lang', 'state', 'created_at'] as const;

/**
 * Imports subscribers from CSV text with a header row: an email column
 * (required), and optionally name, language, state and `created_at` (see
 * `csv-columns.ts` for the names other platforms use). Good rows go in, in
 * one transaction; every bad row is reported with its line number.
 * Duplicates, in the file or against the list, are merged, and nobody
 * becomes less restricted than they were: an `active` row never
 * resubscribes someone unsubscribed or bounced. Cells quoted against
 * formula injection by {@link exportCsv} are read back as they were.
 *
 * @param db     The database.
 * @param text   The CSV file's content (decoded, see `decodeCsv`).
 * @param source The file's name, to begin error messages with `file:line:`.
 * @param choices `--map` and `--state`.
 * @throws {Error} when the CSV has no email column or a quote that is never
 *   closed (nothing is imported then).
 */
export function importCsv(db: SahifaDatabase, text: string, source?: string, choices: ImportChoices = {}): ImportReport {
  const at = (line: number) => (source ? `${source}:${line}: ` : '');
  const report: ImportReport = { added: 0, updated: 0, unchanged: 0, bad: [] };
  const rows = parse(text, {
    bom: true,
    skip_empty_lines: true,
    // No `trim`: with it csv-parse drops every row after a stray quote (cells are trimmed below instead).
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (!error) return undefined;
      // An unclosed quote swallows every row after it: import none of them rather than some.
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') throw new Error(`${at(Number(error.lines))}the CSV has a quote that is never closed (it runs to line ${Number(error.lines)}, the end of the file): ${QUOTING}`);
      report.bad.push({ line: Number(error.lines), reason: `${error.message.replace(/ at line \d+/, '')}: ${QUOTING}` });
      return undefined;
    },
  }) as unknown as CsvRow[];
  const [header, ...body] = rows;
  if (!header) return report;
  let index: ReturnType<typeof indexColumns>;
  try {
    index = indexColumns(header.record, choices.map);
  } catch (error) {
    throw new Error(`${at(header.info.lines)}${(error as Error).message}`);
  }
  db.transaction(() => {
    for (const { record, info } of body) {
      const row = readRow(record.map((cell) => restoreCell(cell.trim())), index);
      if (!row.ok && 'pending' in row) {
        report.pending = (report.pending ?? 0) + 1;
        continue;
      }
      if (!row.ok) {
        report.bad.push({ line: info.lines, reason: row.reason });
        continue;
      }
      const checked = normalizeAddress(row.email);
      if (!checked.ok) {
        report.bad.push({ line: info.lines, reason: checked.reason });
        continue;
      }
      if (row.lang && !LANGUAGE_TAG.test(row.lang)) {
        report.bad.push({ line: info.lines, reason: `"${row.lang}" is no language tag (expected e.g. ar, en, fa)` });
        continue;
      }
      report[upsertSubscriber(db, checked.address, { name: row.name, lang: row.lang, state: choices.state ? mostRestrictive(row.state, choices.state) : row.state, createdAt: row.createdAt })] += 1;
    }
  })();
  return report;
}

/**
 * Every subscriber as CSV (`email,name,lang,state,created_at`), readable by
 * {@link importCsv}: active, unsubscribed and bounced people. Sign-ups
 * still waiting for their confirmation (`pending`, from `sahifa serve`)
 * are not subscribers and are left out, as Ghost and Mailchimp leave them
 * out of their exports; their consent records stay in the database. A cell
 * a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
 * TAB or CR) is written with a leading `'`.
 *
 * @param db The database.
 */
export function exportCsv(db: SahifaDatabase): string {
  const rows = listSubscribers(db)
    .filter(({ state }) => (state as string) !== 'pending')
    .map(({ email, name, lang, state, created_at }) => [email, name ?? '', lang ?? '', state, created_at].map(neutraliseCell));
  return stringify([[...EXPORT_COLUMNS], ...rows]);
}
