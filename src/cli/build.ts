import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from '../pipeline/build.js';
import { OUTPUT_MARKER } from '../pipeline/write-atomically.js';
import { futureNote } from './future-note.js';
import { plural, printError, printMessages, progressLine } from './output.js';

/** Flags of `sahifa build`. */
export interface BuildFlags {
  root: string;
  out?: string;
  drafts: boolean;
  /** Publish posts dated after today too. */
  future: boolean;
  strict: boolean;
  /** Use the content cache (`--no-cache` sets it to false). */
  cache: boolean;
}

/**
 * `sahifa build`: builds the site and prints warnings and a one-line summary,
 * or every error found.
 *
 * @param flags The command's flags.
 * @returns The exit code: 0 when built, 1 when anything failed.
 */
export async function runBuild(flags: BuildFlags): Promise<number> {
  const progress = progressLine('Building');
  const hadOutput = existsSync(join(resolve(flags.out ?? join(flags.root, 'dist')), OUTPUT_MARKER));
  try {
    const result = await build({ ...flags, onProgress: progress.update });
    progress.clear();
    printMessages(result.warnings);
    process.stderr.write(futureNote(result.future, resolve(flags.root)));
    const where = relative(process.cwd(), result.outDir) || '.';
    const drafts = result.drafts.length ? ` (${plural(result.drafts.length, 'draft')} left out)` : '';
    const cached = result.cache.cached ? ` (${result.cache.cached} unchanged)` : '';
    process.stdout.write(
      `Built ${plural(result.posts.length, 'post')}${drafts}: ${plural(result.pages, 'page')}, ${plural(result.emails.size, 'email')} in ${result.seconds.toFixed(2)} s${cached} → ${where}\n`,
    );
    return 0;
  } catch (error) {
    progress.clear();
    const errors = printError(error);
    const kept = hadOutput ? 'the previous output was left as it was' : 'nothing was written';
    process.stderr.write(`Build failed with ${plural(errors, 'error')}; ${kept}.\n`);
    return 1;
  }
}
