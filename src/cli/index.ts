import { Command } from 'commander';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/**
 * The `sahifa` command line. Each command's code is loaded only when that
 * command runs, so `sahifa --help` stays fast.
 *
 * @param argv Process arguments (`process.argv` form).
 * @returns The exit code.
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('sahifa')
    .description('Turn Markdown posts into right-to-left blog pages and newsletter emails.')
    .version(version)
    .showHelpAfterError();

  program
    .command('build')
    .description('build the blog pages (and emails) of the site into the output folder')
    .option('--root <dir>', 'site root holding sahifa.config.json and posts/', '.')
    .option('--out <dir>', 'output folder (default: <root>/dist)')
    .option('--drafts', 'include posts marked draft: true', false)
    .option('--strict', 'fail the build on broken internal links (default: warn)', false)
    .action(async (options: { root: string; out?: string; drafts: boolean; strict: boolean }) => {
      const { runBuild } = await import('./build.js');
      exitCode = await runBuild(options);
    });

  await program.parseAsync(argv);
  return exitCode;
}

