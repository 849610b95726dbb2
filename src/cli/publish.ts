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
}

/** Prints `+ added`, `~ changed`, `- removed` lines. */
function printChanges(changes: Changes): void {
  for (const [mark, paths] of [['+', changes.added], ['~', changes.changed], ['-', changes.removed]] as const) {
    for (const path of paths) process.stdout.write(`${mark} ${path}\n`);
  }
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
      const result = await rollback(flags);
      process.stdout.write(`Rolled back ${result.target}: current is ${result.release} again (was ${result.from})\n`);
      return 0;
    }
    const result = await publish(flags);
    printChanges(result.changes);
    const counts = `${result.changes.added.length} added, ${result.changes.changed.length} changed, ${result.changes.removed.length} removed`;
    if (flags.dryRun) process.stdout.write(`Dry run for ${result.target} (${result.type}): would publish ${counts}; nothing was changed\n`);
    else if (!result.changed) process.stdout.write(`Nothing to publish to ${result.target} (${result.type}): it already has this build\n`);
    else process.stdout.write(`Published to ${result.target} (${result.type}): ${counts} → ${result.version}\n`);
    return 0;
  } catch (error) {
    printError(error);
    return 1;
  }
}
