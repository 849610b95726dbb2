import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { StampCheck } from '../cache/build-stamp.js';
import { build, buildSummary } from '../pipeline/build.js';
import { OUTPUT_MARKER } from '../pipeline/write-atomically.js';
import { counts, report } from './build-report.js';
import type { BuildFlags } from './build.js';
import { plural, printError, progressLine } from './output.js';

/**
 * The part of `sahifa build` past the build stamp: builds the site and prints
 * warnings and a one-line summary, or every error found. The bundled CLI
 * ships it as a file of its own (`lib/bundle/build.cjs`), loaded only when
 * the stamp says something changed.
 *
 * @param flags The command's flags.
 * @param check What the stamp check found (its listing of the site, taken before anything was read).
 * @param threads `--threads`, checked.
 * @returns The exit code: 0 when built, 1 when anything failed.
 */
export async function fullBuild(flags: BuildFlags, check: StampCheck, threads: number | 'auto'): Promise<number> {
  const outDir = resolve(flags.out ?? join(flags.root, 'dist'));
  const where = relative(process.cwd(), outDir) || '.';
  const progress = progressLine('Building');
  const hadOutput = existsSync(join(outDir, OUTPUT_MARKER));
  try {
    const onWait = () => {
      progress.clear();
      process.stderr.write(`Waiting for another build into ${where} to finish…\n`);
    };
    // The check's listing of the site was taken just now, before anything is read: the build takes it as its own.
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
