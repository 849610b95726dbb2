import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { VFileMessage } from 'vfile-message';
import type { StampCheck, StampSummary } from '../cache/build-stamp.js';
import { unchangedBuild } from '../pipeline/unchanged-build.js';
import { OUTPUT_MARKER } from '../pipeline/write-atomically.js';
import { startMjmlThread, willCompileLayouts } from '../render/email/mjml-thread.js';
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
  /** `--threads`: `auto`, or how many worker threads render posts. */
  threads?: string;
}

/**
 * `sahifa build`: builds the site and prints warnings and a one-line summary,
 * or every error found. When nothing the last good build read or wrote has
 * changed, it keeps that output and says so, without loading the renderer.
 *
 * @param flags The command's flags.
 * @returns The exit code: 0 when built, 1 when anything failed.
 */
export async function runBuild(flags: BuildFlags): Promise<number> {
  const started = performance.now();
  const outDir = resolve(flags.out ?? join(flags.root, 'dist'));
  const where = relative(process.cwd(), outDir) || '.';
  let threads: number | 'auto';
  try {
    threads = await threadsOf(flags);
  } catch (error) {
    printError(error);
    return 1;
  }
  // A stamp that cannot be read or checked only means a full build.
  const check = flags.cache ? await unchangedBuild(flags).catch(() => ({}) as StampCheck) : {};
  const { unchanged } = check;
  if (unchanged) {
    report(unchanged, flags.root);
    const checked = ((performance.now() - started) / 1000).toFixed(2);
    process.stdout.write(`Up to date: ${counts(unchanged)}; nothing changed since the last build (checked in ${checked} s) → ${where}\n`);
    return 0;
  }
  // A cold build compiles its email layout: mjml starts loading on another core now, while the build starts.
  if (willCompileLayouts(flags.root, flags.cache)) startMjmlThread();
  const progress = progressLine('Building');
  const hadOutput = existsSync(join(outDir, OUTPUT_MARKER));
  try {
    const { build, buildSummary } = await import('../pipeline/build.js');
    // The check's listing of the site was taken just now, before anything is read: the build takes it as its own.
    const onWait = () => {
      progress.clear();
      process.stderr.write(`Waiting for another build into ${where} to finish…\n`);
    };
    const result = await build({ ...flags, threads, onProgress: progress.update, onWait, ...(check.start ? { stampStart: check.start } : {}) });
    progress.clear();
    const summary = buildSummary(result, new Date());
    report(summary, flags.root);
    const cached = result.cache.cached ? ` (${result.cache.cached} unchanged)` : '';
    process.stdout.write(`Built ${counts(summary)} in ${result.seconds.toFixed(2)} s${cached} → ${where}\n`);
    return 0;
  } catch (error) {
    progress.clear();
    const errors = printError(error);
    const kept = hadOutput ? 'the previous output was left as it was' : 'nothing was written';
    process.stderr.write(`Build failed with ${plural(errors, 'error')}; ${kept}.\n`);
    return 1;
  }
}

/** `--threads` as a number, or `auto`; the range check (and the schema it loads) only when a number is given. */
async function threadsOf(flags: BuildFlags): Promise<number | 'auto'> {
  if (flags.threads === undefined || flags.threads === 'auto') return 'auto';
  const [{ parseRangedFlag }, { NUMBER_RANGES }] = await Promise.all([import('../config/number-range.js'), import('../config/schema.js')]);
  return parseRangedFlag(flags.threads, '--threads', NUMBER_RANGES.threads) as number;
}

/** Prints the warnings and the posts left out until their date. */
function report(summary: StampSummary, root: string): void {
  printMessages(
    summary.warnings.map(({ file, line, column, reason, ruleId }) => {
      const message = new VFileMessage(reason, { ...(line ? { place: { line, column: column ?? 1 } } : {}), ...(ruleId ? { ruleId } : {}) });
      if (file) message.file = file;
      return message;
    }),
  );
  process.stderr.write(futureNote(summary.future, resolve(root)));
}

/** "3 posts (1 draft left out): 9 pages, 3 emails". */
function counts(summary: StampSummary): string {
  const drafts = summary.drafts ? ` (${plural(summary.drafts, 'draft')} left out)` : '';
  return `${plural(summary.posts, 'post')}${drafts}: ${plural(summary.pages, 'page')}, ${plural(summary.emails, 'email')}`;
}
