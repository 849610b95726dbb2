import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { LANGUAGE_TAG } from '../config/direction.js';
import { normalizeAddress } from './address.js';
import type { SahifaDatabase } from './database.js';
import { listSubscribers, upsertSubscriber } from './subscribers.js';

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
}

interface CsvRecord {
  record: Record<string, string | undefined>;
  info: { lines: number };
}

/**
 * Imports subscribers from CSV text with a header row: `email` (required),
 * `name` and `lang` (optional), other columns ignored. Good rows go in, in
 * one transaction; every bad row is reported with its line number.
 * Duplicates, in the file or against the list, are merged.
 *
 * @param db   The database.
 * @param text The CSV file's content.
 * @throws {Error} when the CSV cannot be parsed or has no `email` column.
 */
export function importCsv(db: SahifaDatabase, text: string): ImportReport {
  const rows = parse(text, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }) as CsvRecord[];
  const first = rows[0];
  if (first && !('email' in first.record)) throw new Error('the CSV has no `email` column: its first row must name the columns, e.g. `email,name,lang`');
  const report: ImportReport = { added: 0, updated: 0, unchanged: 0, bad: [] };
  db.transaction(() => {
    for (const { record, info } of rows) {
      const checked = normalizeAddress(record.email ?? '');
      if (!checked.ok) {
        report.bad.push({ line: info.lines, reason: checked.reason });
        continue;
      }
      const lang = record.lang || undefined;
      if (lang && !LANGUAGE_TAG.test(lang)) {
        report.bad.push({ line: info.lines, reason: `"${lang}" is no language tag (expected e.g. ar, en, fa)` });
        continue;
      }
      report[upsertSubscriber(db, checked.address, { name: record.name || undefined, lang })] += 1;
    }
  })();
  return report;
}

/**
 * Every subscriber as CSV (`email,name,lang,state,created_at`), readable by
 * {@link importCsv}.
 *
 * @param db The database.
 */
export function exportCsv(db: SahifaDatabase): string {
  const rows = listSubscribers(db).map(({ email, name, lang, state, created_at }) => ({ email, name: name ?? '', lang: lang ?? '', state, created_at }));
  return stringify(rows, { header: true, columns: ['email', 'name', 'lang', 'state', 'created_at'] });
}
