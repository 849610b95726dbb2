import { join, relative, resolve } from 'node:path';
import type { StampCheck } from '../cache/build-stamp.js';
import { unchangedBuild } from '../pipeline/unchanged-build.js';
import { mjmlThreadPays, startMjmlThread, willCompileLayouts } from '../render/email/mjml-thread.js';
import { loadBundled } from '../startup/load-bundled.js';
import { counts, report } from './build-report.js';
import { printError } from './output.js';

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
    const where = relative(process.cwd(), resolve(flags.out ?? join(flags.root, 'dist'))) || '.';
    process.stdout.write(`Up to date: ${counts(unchanged)}; nothing changed since the last build (checked in ${checked} s) → ${where}\n`);
    return 0;
  }
  // A cold build compiles its email layout: mjml starts loading on another core now, while the build starts, when
  // that core is free (else it is loaded when the first layout is compiled).
  if (willCompileLayouts(flags.root, flags.cache) && mjmlThreadPays()) startMjmlThread();
  const { fullBuild } = await loadBundled('build', () => import('./full-build.js'));
  return fullBuild(flags, check, threads);
}

/** `--threads` as a number, or `auto`; the range check (and the schema it loads) only when a number is given. */
async function threadsOf(flags: BuildFlags): Promise<number | 'auto'> {
  if (flags.threads === undefined || flags.threads === 'auto') return 'auto';
  const [{ parseRangedFlag }, { NUMBER_RANGES }] = await Promise.all([import('../config/number-range.js'), import('../config/schema.js')]);
  return parseRangedFlag(flags.threads, '--threads', NUMBER_RANGES.threads) as number;
}
