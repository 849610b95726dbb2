import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { importCsv } from '../send/csv.js';
import { decodeCsv } from '../send/csv-encoding.js';
import { openDatabase, openSiteDatabase } from '../send/database.js';
import { openExport } from './export-folder.js';
import { importContents, type EmailListImport, type ImportOptions, type ImportResult } from './import-site.js';
import { readSubstack, substackRules } from './substack.js';

/**
 * `sahifa import substack EXPORT.zip|DIR`: the posts of a Substack export
 * into the site, and its email list (`email_list.*.csv`) into the
 * subscribers, as `subscribers import` would (readers with `email_disabled`
 * become `unsubscribed`; `created_at` is kept). A dry run imports the list
 * into a database in memory only, to count it.
 *
 * @param path    The zip or the folder it unpacks to.
 * @param options Site root, dry run.
 */
export async function importSubstack(path: string, options: ImportOptions): Promise<ImportResult> {
  const files = await openExport(path, 'a Substack export (the zip from Settings → Exports)');
  const contents = await readSubstack(files, path);
  const result = await importContents(contents, substackRules(), { ...options, media: undefined });
  const lists = files.names.filter((name) => /^email_list[^/]*\.csv$/i.test(name));
  const emailLists: EmailListImport[] = [];
  if (lists.length === 0) return { ...result, emailLists };
  const db = options.dryRun ? openDatabase(':memory:') : openSiteDatabase(resolve(options.root), await loadConfig(resolve(options.root)));
  try {
    for (const file of lists) {
      const bytes = (await files.read(file)) ?? Buffer.alloc(0);
      emailLists.push({ file, report: importCsv(db, decodeCsv(bytes, `${path}/${file}`), `${path}/${file}`) });
    }
  } finally {
    db.close();
  }
  return { ...result, emailLists };
}
