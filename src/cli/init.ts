import { relative } from 'node:path';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { printError } from './output.js';

/** Flags of `sahifa init`. */
export interface InitFlags {
  lang: string;
  title?: string;
  url: string;
}

/**
 * `sahifa init [DIR]`: makes a new site and says what to do next.
 *
 * @param dir   The folder (default: the current one).
 * @param flags Language, title and address.
 * @returns The exit code.
 */
export async function runInit(dir: string | undefined, flags: InitFlags): Promise<number> {
  const { initSite } = await import('../init/init-site.js');
  try {
    const result = await initSite({ dir: dir ?? '.', lang: flags.lang, title: flags.title, url: flags.url });
    const fromHere = relative(process.cwd(), result.dir);
    const where = fromHere.startsWith('..') ? result.dir : fromHere || '.';
    process.stdout.write(`Created a site in ${terminalSafe(where)}: ${result.written.join(', ')}\n`);
    if (!result.spec.known) {
      process.stdout.write(`package.json depends on this copy of sahifa (${terminalSafe(result.spec.spec)}), which exists on this machine only: put the git URL or tarball you install sahifa from there (see "Start your own site" in the README)\n`);
    }
    const cd = where === '.' ? '' : `cd ${terminalSafe(where)} && `;
    process.stdout.write(`Next: ${cd}${result.installed ? '' : 'npm install && '}npm run build   (then npm run dev to write with a live preview)\n`);
    return 0;
  } catch (error) {
    printError(error);
    return 1;
  }
}
