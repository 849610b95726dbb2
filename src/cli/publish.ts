import { terminalSafe } from '../diagnostics/terminal-text.js';
import type { Changes } from '../publish/changes.js';
import { publish, rollback } from '../publish/publish.js';
import { printError } from './output.js';

/** Flags of `sahifa publish`. */
export interface PublishFlags {
  root: string;
  out?: string;
  target?: string;
  dryRun: boolean;
  rollback: boolean;
  future: boolean;
}

/** Prints `+ added`, `~ changed`, `- removed` lines. */
function printChanges(changes: Changes): void {
  for (const [mark, paths] of [['+', changes.added], ['~', changes.changed], ['-', changes.removed]] as const) {
    for (const path of paths) process.stdout.write(`${mark} ${terminalSafe(path)}\n`);
  }
}

/** `sahifa publish --rollback [--dry-run]`. */
async function runRollback(flags: PublishFlags): Promise<void> {
  const result = await rollback(flags);
  if (flags.dryRun) process.stdout.write(`Dry run for ${result.target}: would roll back to ${result.release} (now ${result.from}); nothing was changed\n`);
  else process.stdout.write(`Rolled back ${result.target}: current is ${result.release} again (was ${result.from})\n`);
}

/**
 * `sahifa publish [--target NAME] [--dry-run] [--rollback]`.
 *
 * @param flags The command's flags.
 * @returns The exit code.
 */
export async function runPublish(flags: PublishFlags): Promise<number> {
  try {
    if (flags.rollback) {
      await runRollback(flags);
      return 0;
    }
    const result = await publish(flags);
    const source = result.stale ? terminalSafe(result.stale.path) : undefined;
    const early = result.early?.map((post) => terminalSafe(post.slug)).join(', ');
    if (source && !flags.dryRun) process.stdout.write(`Rebuilt the site first: ${source} changed after the last build\n`);
    else if (early && !flags.dryRun) process.stdout.write(`Rebuilt the site first, without the posts dated after today it held (${early}): pass --future to publish them now\n`);
    printChanges(result.changes);
    const counts = `${result.changes.added.length} added, ${result.changes.changed.length} changed, ${result.changes.removed.length} removed`;
    if (flags.dryRun && source) {
      process.stdout.write(
        `Dry run for ${result.target} (${result.type}): the build is older than ${source}, so publish would rebuild first; ` +
          `the build as it is would publish ${counts}; nothing was changed (run sahifa build to see the new build's changes)\n`,
      );
    } else if (flags.dryRun && early) {
      process.stdout.write(
        `Dry run for ${result.target} (${result.type}): the build holds posts dated after today (${early}), so publish would rebuild without them (or pass --future); ` +
          `the build as it is would publish ${counts}; nothing was changed\n`,
      );
    } else if (flags.dryRun) process.stdout.write(`Dry run for ${result.target} (${result.type}): would publish ${counts}; nothing was changed\n`);
    else if (!result.changed) process.stdout.write(`Nothing to publish to ${result.target} (${result.type}): it already has this build\n`);
    else process.stdout.write(`Published to ${result.target} (${result.type}): ${counts} → ${result.version}\n`);
    return 0;
  } catch (error) {
    printError(error);
    return 1;
  }
}
