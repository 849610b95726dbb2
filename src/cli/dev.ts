import { resolve } from 'node:path';
import pc from 'picocolors';
import { startDevServer } from '../dev/dev-server.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { buildSummary } from '../pipeline/build.js';
import { futureNote } from './future-note.js';
import { interruption, plural, portOf, printError, stderrIsTty } from './output.js';

/** Flags of `sahifa dev`. */
export interface DevFlags {
  root: string;
  port: string;
  host: string;
  drafts: boolean;
  /** Include posts dated after today. */
  future: boolean;
  /** Use the content cache (`--no-cache` sets it to false). */
  cache: boolean;
}

/**
 * `sahifa dev`: serves the site with live reload until interrupted.
 *
 * @param flags The command's flags.
 * @returns The exit code (only on a start-up failure; otherwise it runs until Ctrl+C).
 */
export async function runDev(flags: DevFlags): Promise<number> {
  const colors = pc.createColors(stderrIsTty);
  const interrupted = interruption();
  try {
    const server = await startDevServer({
      root: flags.root,
      port: portOf(flags.port),
      host: flags.host,
      drafts: flags.drafts,
      future: flags.future,
      cache: flags.cache,
      onBuild: (outcome) => {
        if (outcome.ok) {
          const { result } = outcome;
          const cached = result.cache.cached ? ` (${result.cache.cached} unchanged)` : '';
          process.stdout.write(`Built ${plural(result.posts.length, 'post')}: ${plural(result.pages, 'page')}, ${plural(result.emails.size, 'email')} in ${result.seconds.toFixed(2)} s${cached}\n`);
          process.stderr.write(futureNote(buildSummary(result, new Date()).future, resolve(flags.root)));
        } else {
          const serving = outcome.first ? 'there is no good build to serve yet: fix the errors and save' : 'serving the last good build';
          process.stderr.write(`${outcome.messages.map(terminalSafe).join('\n')}\n${colors.red('Build failed')}; ${serving}.\n`);
        }
      },
    });
    process.stdout.write(`Serving ${server.url} (emails at ${server.url}__sahifa/email/); watching for changes. Ctrl+C stops.\n`);
    await interrupted;
    await server.close();
    return 0;
  } catch (error) {
    printError(error);
    return 1;
  }
}
