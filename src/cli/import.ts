import { terminalSafe } from '../diagnostics/terminal-text.js';
import type { ImportOptions, ImportResult } from '../import/import-site.js';
import { summaryLine } from '../import/summary.js';
import { plural, printError } from './output.js';

/** Flags of the `sahifa import …` commands. */
export interface ImportFlags {
  root: string;
  dryRun: boolean;
  media?: string;
}

/**
 * Runs an import and prints what it did: a warning line per entry that was
 * repaired or left out, the files (every one in a dry run; those left alone
 * otherwise), the images left at their addresses, and the summary line.
 *
 * @param run   The import.
 * @param flags The command's flags.
 * @param imagesHint What to do about images left at their addresses, said when `--media` was not given.
 * @returns The exit code: 0 when imported, 1 when the export could not be read.
 */
export async function runImport(run: (options: ImportOptions) => Promise<ImportResult>, flags: ImportFlags, imagesHint = 'give --media UPLOADS_DIR to copy them into the site'): Promise<number> {
  let result: ImportResult;
  try {
    result = await run({ root: flags.root, dryRun: flags.dryRun, media: flags.media });
  } catch (error) {
    printError(error);
    return 1;
  }
  const { plan, files } = result;
  for (const warning of plan.warnings) process.stderr.write(`${terminalSafe(warning.place)}: warning ${terminalSafe(warning.reason)}\n`);
  const out = (line: string) => process.stdout.write(`${terminalSafe(line)}\n`);
  const made = files.filter((file) => file.outcome === 'new');
  const kept = files.filter((file) => file.outcome === 'kept');
  const unchanged = files.filter((file) => file.outcome === 'unchanged');
  if (flags.dryRun) for (const file of made) out(`would write ${file.path}`);
  for (const file of kept) process.stderr.write(`${terminalSafe(file.path)}: warning exists and differs from the import; left as it is (move it away to import it again)\n`);
  if (plan.remoteImages.length) {
    out(`${plural(plan.remoteImages.length, 'image')} left at ${plan.remoteImages.length === 1 ? 'its address' : 'their addresses'}${flags.media ? '' : ` (${imagesHint})`}:`);
    for (const address of plan.remoteImages) out(`  ${address}`);
  }
  out(summaryLine(plan.counts));
  for (const { file, report } of result.emailLists ?? []) {
    for (const bad of report.bad) process.stderr.write(`${terminalSafe(file)}:${bad.line}: warning ${terminalSafe(bad.reason)}; row not imported\n`);
    const verb = flags.dryRun ? 'Would import' : 'Imported';
    out(`${verb} the email list ${file} into the subscribers: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${plural(report.bad.length, 'bad row')}`);
  }
  const verb = flags.dryRun ? 'Would write' : 'Wrote';
  out(`${verb} ${plural(made.length, 'file')}; ${unchanged.length} already there and unchanged; ${kept.length} left as ${kept.length === 1 ? 'it was' : 'they were'} (exist${kept.length === 1 ? 's' : ''} and differ${kept.length === 1 ? 's' : ''})${flags.dryRun ? '; nothing written (dry run)' : ''}`);
  return 0;
}
