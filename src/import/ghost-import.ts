import { ghostRules, readGhost, UNKNOWN_GHOST_SITE } from './ghost.js';
import { importContents, readExport, type ImportOptions, type ImportResult } from './import-site.js';

/**
 * `sahifa import ghost EXPORT.json`: posts and pages of a Ghost export into
 * the site.
 *
 * @param file    The export.
 * @param options Site root, dry run, media folder, and the old site's address for `__GHOST_URL__`.
 */
export async function importGhost(file: string, options: ImportOptions & { url?: string }): Promise<ImportResult> {
  if (options.url !== undefined && !/^https?:\/\/[^/\s]+/.test(options.url)) throw new Error(`--url expects the old site's address, such as https://blog.example.com, got "${options.url}"`);
  const { text, name } = await readExport(file, 'a Ghost export (JSON, from Settings → Advanced → Import/Export)');
  const contents = readGhost(text, name, options.url);
  if (options.url === undefined && text.includes('__GHOST_URL__')) {
    contents.warnings.push({ place: name, reason: `the content points at its own site as __GHOST_URL__, written as ${UNKNOWN_GHOST_SITE} for now: give --url with the old site's address so those links and images keep working` });
  }
  return importContents(contents, ghostRules(options.url), options);
}
