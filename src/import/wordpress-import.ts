import { importContents, readExport, type ImportOptions, type ImportResult } from './import-site.js';
import { readWordPress, wordPressRules } from './wordpress.js';

/**
 * `sahifa import wordpress EXPORT.xml`: posts and pages of a WXR file into
 * the site.
 *
 * @param file    The export.
 * @param options Site root, dry run, media folder.
 */
export async function importWordPress(file: string, options: ImportOptions): Promise<ImportResult> {
  const { text, name } = await readExport(file, 'a WordPress export (WXR, from Tools → Export)');
  return importContents(readWordPress(text, name), wordPressRules(text), options);
}
