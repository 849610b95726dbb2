import { Command } from 'commander';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** `--root`, which every command takes. */
const withRoot = (command: Command) =>
  command.option('--root <dir>', 'site root holding sahifa.config.json and posts/; this folder or the nearest one above it that holds sahifa.config.json is used', '.');

/** `--port` and `--host`, for the commands that serve. */
const withListen = (command: Command, port: string) =>
  withRoot(command).option('--port <port>', 'port to listen on, 0 to 65535 (0: any free port)', port).option('--host <address>', 'address to listen on (0.0.0.0 to reach it from other devices)', '127.0.0.1');

/** `--root` and `--out`, for the commands that read or write the build output. */
const withSite = (command: Command) => withRoot(command).option('--out <dir>', 'output folder (default: <root>/dist)');

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
  // A command run anywhere inside a site works on that site, as git finds its repository.
  program.hook('preAction', async (_program, command) => {
    const root: unknown = command.getOptionValue('root');
    if (typeof root !== 'string') return;
    const { findSiteRoot } = await import('../config/site-root.js');
    command.setOptionValue('root', findSiteRoot(root) ?? root);
  });

  program
    .command('init [dir]')
    .description('make a new site in an empty or new folder (default: this one): config, a first post, pages/about.md, package.json, .gitignore and a GitHub Pages workflow')
    .option('--lang <lang>', "the site's language, a BCP 47 tag (ar, en, fa, he, ur…)", 'ar')
    .option('--title <title>', "the site's name (default: one in the site's language)")
    .option('--url <url>', 'the public address of the blog', 'https://example.org/')
    .action(async (dir: string | undefined, options: import('./init.js').InitFlags) => {
      const { runInit } = await import('./init.js');
      exitCode = await runInit(dir, options);
    });

  withSite(program.command('build').description('build the blog pages (and emails) of the site into the output folder'))
    .option('--drafts', 'include posts marked draft: true', false)
    .option('--future', 'include posts dated after today (default: they wait for their date)', false)
    .option('--strict', 'fail the build on broken internal links (default: warn)', false)
    .option('--no-cache', 'render every post again, without reading or writing the content cache (.sahifa/cache/content/)')
    .option('--threads <n>', 'worker threads that render posts: auto (one per core but one, from 200 posts, on 3 cores or more) or a number, 0 or 1 for none', 'auto')
    .action(async (options: import('./build.js').BuildFlags) => {
      const { runBuild } = await import('./build.js');
      exitCode = await runBuild(options);
    });

  withRoot(program.command('new <title>').description('start a post: writes posts/<date>-<slug>.md as a draft'))
    .option('--slug <slug>', 'folder name of the post (default: from the title)')
    .option('--lang <lang>', "the post's language, when it differs from the site's")
    .option('--date <date>', 'publication date, ISO 8601 (default: today)')
    .action(async (title: string, options: { root: string; slug?: string; lang?: string; date?: string }) => {
      const [{ newPost }, { printError }] = await Promise.all([import('../content/new-post.js'), import('./output.js')]);
      try {
        process.stdout.write(`Created ${await newPost({ ...options, title })} (draft: true until you remove that line)\n`);
      } catch (error) {
        printError(error);
        exitCode = 1;
      }
    });

  withListen(program.command('dev').description('serve the site on this machine, rebuild on every change and reload the page'), '4000')
    .option('--drafts', 'include posts marked draft: true', false)
    .option('--future', 'include posts dated after today (default: they wait for their date)', false)
    .option('--no-cache', 'render every post again on each rebuild, without the content cache')
    .action(async (options: import('./dev.js').DevFlags) => {
      const { runDev } = await import('./dev.js');
      exitCode = await runDev(options);
    });

  withSite(program.command('send <slug>').description('send a post\'s email to every active subscriber (SAHIFA_SMTP_URL and SAHIFA_SECRET from the environment)'))
    .option('--to <address>', 'send one test copy to this address, with "[Test]" before the subject')
    .option('--dry-run', 'render every message and report what would be sent; send nothing', false)
    .option('--status', 'show where the campaign stands', false)
    .option('--retry-unknown', 'send again the messages whose delivery is unknown (may arrive twice)', false)
    .option('--rate <n>', 'messages per second (default: send.rate)')
    .option('--concurrency <n>', 'SMTP connections at once (default: send.concurrency)')
    .option('--force', 'send a post dated in the future now', false)
    .action(async (slug: string, options: import('./send.js').SendFlags) => {
      const { runSend } = await import('./send.js');
      exitCode = await runSend(slug, options);
    });

  const subscribers = program.command('subscribers').description('manage the subscriber list (kept in SQLite, see "database")');
  withRoot(subscribers.command('import <file>').description('import a CSV with a header row: email, and optionally name, lang, state, created_at (see the README for the column names of other platforms)'))
    .option('--map <pairs>', 'name the columns by hand: email=COLUMN,name=COLUMN (also first_name, last_name, lang, state, created_at)')
    .option('--state <state>', 'import every row as at least unsubscribed or bounced (for a platform\'s list of people who left)')
    .action(async (file: string, options: { root: string; map?: string; state?: string }) => {
      exitCode = await (await import('./subscribers.js')).runImport(options.root, file, options);
    });
  withRoot(subscribers.command('add <address>').description('add a subscriber, or update one').option('--name <name>', 'their name').option('--lang <lang>', 'their language')).action(
    async (address: string, options: { root: string; name?: string; lang?: string }) => {
      exitCode = await (await import('./subscribers.js')).runAdd(options.root, address, { name: options.name, lang: options.lang });
    },
  );
  withRoot(subscribers.command('remove <address>').description('delete a subscriber and their delivery records')).action(async (address: string, options: { root: string }) => {
    exitCode = await (await import('./subscribers.js')).runRemove(options.root, address);
  });
  for (const state of ['unsubscribed', 'bounced'] as const) {
    const verb = state === 'unsubscribed' ? 'unsubscribe' : 'bounce';
    withRoot(subscribers.command(`${verb} <address>`).description(`mark a subscriber ${state}: no more mail, record kept`)).action(
      async (address: string, options: { root: string }) => {
        exitCode = await (await import('./subscribers.js')).runSetState(options.root, address, state);
      },
    );
  }
  withRoot(subscribers.command('list').description('list the subscribers').option('--json', 'as JSON', false)).action(async (options: { root: string; json: boolean }) => {
    exitCode = await (await import('./subscribers.js')).runList(options.root, options.json);
  });
  withRoot(subscribers.command('export <file>').description('write every subscriber to a CSV file')).action(async (file: string, options: { root: string }) => {
    exitCode = await (await import('./subscribers.js')).runExport(options.root, file);
  });

  const imports = program.command('import').description('import posts and pages from another platform\'s export (see "Importing" in the README)');
  withRoot(imports.command('wordpress <export>').description('posts and pages of a WordPress export (WXR, Tools → Export) into posts/ and pages/'))
    .option('--media <dir>', "the site's uploads folder (wp-content/uploads): copy the images the posts use beside them")
    .option('--dry-run', 'list what would be written; write nothing', false)
    .action(async (file: string, options: import('./import.js').ImportFlags) => {
      const [{ runImport }, { importWordPress }] = await Promise.all([import('./import.js'), import('../import/wordpress-import.js')]);
      exitCode = await runImport((settings) => importWordPress(file, settings), options);
    });

  withRoot(imports.command('ghost <export>').description('posts and pages of a Ghost export (JSON, Settings → Advanced → Import/Export) into posts/ and pages/'))
    .option('--media <dir>', "the site's content/images folder: copy the images the posts use beside them")
    .option('--url <address>', 'the old site\'s address, which __GHOST_URL__ in the export stands for')
    .option('--dry-run', 'list what would be written; write nothing', false)
    .action(async (file: string, options: import('./import.js').ImportFlags & { url?: string }) => {
      const [{ runImport }, { importGhost }] = await Promise.all([import('./import.js'), import('../import/ghost-import.js')]);
      exitCode = await runImport((settings) => importGhost(file, { ...settings, url: options.url }), options, 'give --media with the content/images folder to copy them into the site');
    });

  withRoot(imports.command('substack <export>').description('posts of a Substack export (the zip, or its folder) into posts/, and its email list into the subscribers'))
    .option('--dry-run', 'list what would be written and imported; change nothing', false)
    .action(async (file: string, options: import('./import.js').ImportFlags) => {
      const [{ runImport }, { importSubstack }] = await Promise.all([import('./import.js'), import('../import/substack-import.js')]);
      exitCode = await runImport((settings) => importSubstack(file, settings), options, 'Substack keeps them on its own servers: download them to keep them');
    });

  withListen(program.command('serve').description('the subscription service beside the blog: subscribe, confirm by email, unsubscribe (SAHIFA_SECRET and SAHIFA_SMTP_URL from the environment)'), '8025')
    .action(async (options: import('./serve.js').ServeFlags) => {
      const { runServe } = await import('./serve.js');
      exitCode = await runServe(options);
    });
  withListen(program.command('unsubscribe-server').description('old name of "sahifa serve", kept for one release'), '8025')
    .action(async (options: import('./serve.js').ServeFlags) => {
      const { runServe } = await import('./serve.js');
      exitCode = await runServe(options, 'unsubscribe-server');
    });

  withSite(program.command('publish').description('publish dist/blog to a target of sahifa.config.json (git, rsync or dir)'))
    .option('--target <name>', 'the target (default: publish.default, or the only one)')
    .option('--dry-run', 'list what would be added, changed and removed; change nothing', false)
    .option('--rollback', 'switch a release-based target (rsync, dir) back to its previous release', false)
    .option('--future', 'publish posts dated after today that the build holds (default: rebuild without them)', false)
    .action(async (options: import('./publish.js').PublishFlags) => {
      const { runPublish } = await import('./publish.js');
      exitCode = await runPublish(options);
    });

  await program.parseAsync(argv);
  return exitCode;
}

