import { resolve } from 'node:path';
import { VFileMessage } from 'vfile-message';
import type { StampSummary } from '../cache/build-stamp.js';
import { futureNote } from './future-note.js';
import { plural, printMessages } from './output.js';

/**
 * Prints a build's warnings and the posts left out until their date.
 *
 * @param summary The build's summary (or the stamp's copy of it).
 * @param root    The site root.
 */
export function report(summary: StampSummary, root: string): void {
  printMessages(
    summary.warnings.map(({ file, line, column, reason, ruleId }) => {
      const message = new VFileMessage(reason, { ...(line ? { place: { line, column: column ?? 1 } } : {}), ...(ruleId ? { ruleId } : {}) });
      if (file) message.file = file;
      return message;
    }),
  );
  process.stderr.write(futureNote(summary.future, resolve(root)));
}

/**
 * "3 posts (1 draft left out): 9 pages, 3 emails".
 *
 * @param summary The build's summary.
 */
export function counts(summary: StampSummary): string {
  const drafts = summary.drafts ? ` (${plural(summary.drafts, 'draft')} left out)` : '';
  return `${plural(summary.posts, 'post')}${drafts}: ${plural(summary.pages, 'page')}, ${plural(summary.emails, 'email')}`;
}
