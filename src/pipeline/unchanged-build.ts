import { resolve } from 'node:path';
import { checkStamp, type StampCheck } from '../cache/build-stamp.js';
import { writeBuildRecord } from './build-record.js';

/** The flags of a build that decide its output (see {@link unchangedBuild}). */
export interface UnchangedBuildOptions {
  root: string;
  out?: string;
  drafts?: boolean;
  future?: boolean;
  strict?: boolean;
}

/**
 * The "nothing changed" shortcut of `sahifa build`: when the last good build
 * into the same output folder, with the same flags, read exactly the files
 * the site holds now (by size, time and inode) and its output is as it left
 * it, the build would write the same bytes: the output is kept, the build
 * record says it is good, and what that build reported is returned. Loads
 * none of the rendering code, so it costs little more than Node's start-up
 * and one `lstat` per file.
 *
 * @param options The build's flags.
 * @returns What the last build reported (`unchanged`), or, when a build is
 *   needed, the listing of the site taken by the check, if it took one
 *   (`start`, for `build({ stampStart })`).
 */
export async function unchangedBuild(options: UnchangedBuildOptions): Promise<StampCheck> {
  const root = resolve(options.root);
  const outDir = resolve(options.out ?? resolve(root, 'dist'));
  const check = await checkStamp({ root, outDir, drafts: options.drafts ?? false, future: options.future ?? false, strict: options.strict ?? false }, new Date());
  if (check.unchanged) await writeBuildRecord(root, { ok: true, at: new Date().toISOString(), outDir, ...(check.unchanged.early.length ? { early: check.unchanged.early } : {}) });
  return check;
}
