import { readFile } from 'node:fs/promises';
import type { ImportReport } from '../send/csv.js';
import type { ExportContents } from './entry.js';
import { openMediaFolder } from './media-folder.js';
import { planImport, type ImportPlan, type SourceRules } from './plan-import.js';
import { siteSlugs } from './site-slugs.js';
import { writeNewFiles, type WrittenFile } from './write-new-files.js';

/** Options every import takes. */
export interface ImportOptions {
  /** The site root; files go to `posts/` and `pages/` under it. */
  root: string;
  /** Decide everything, write nothing. */
  dryRun: boolean;
  /** Folder holding the export's images (`--media`); without it images stay at their addresses. */
  media?: string;
}

/** What an import did (or, in a dry run, would do). */
export interface ImportResult {
  plan: ImportPlan;
  files: WrittenFile[];
  /** Email lists in the export imported into the subscribers (Substack). */
  emailLists?: EmailListImport[];
}

/** What an import did with an email list found in an export. */
export interface EmailListImport {
  /** The list's name in the export, e.g. `email_list.my-letter.csv`. */
  file: string;
  report: ImportReport;
}

/**
 * Writes what a source reader found into the site: Markdown files in
 * `posts/` and `pages/`, and with `--media` the images they use beside them.
 * Existing files are never replaced (see {@link writeNewFiles}).
 *
 * @param contents What the export holds.
 * @param rules    The source's image and clean-up rules.
 * @param options  Site root, dry run and media folder.
 */
export async function importContents(contents: ExportContents, rules: SourceRules, options: ImportOptions): Promise<ImportResult> {
  const mediaFolder = options.media === undefined ? undefined : await openMediaFolder(options.media);
  const plan = await planImport(contents, rules, mediaFolder, await siteSlugs(options.root));
  return { plan, files: await writeNewFiles(options.root, plan.files, options.dryRun) };
}

/**
 * Reads an export file as text.
 *
 * @param path The file given on the command line.
 * @param what What it should be, for the message ("a WordPress export (WXR)").
 * @throws {Error} naming the file and what to give instead.
 */
export async function readExport(path: string, what: string): Promise<{ text: string; name: string }> {
  try {
    return { text: await readFile(path, 'utf8'), name: path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`cannot read ${path} (${code}): give the path of ${what}`);
  }
}
