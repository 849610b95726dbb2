import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { lineWriter } from '../serve/log-lines.js';
import { startServer } from '../serve/server.js';
import { interruption, portOf, printError } from './output.js';

/** Flags of `sahifa serve`. */
export interface ServeFlags {
  root: string;
  port: string;
  host: string;
}

/**
 * `sahifa serve`: the subscription service, until Ctrl+C or SIGTERM (which
 * finish the requests and emails in flight first). One line per request on
 * standard output; a busy database is said once on standard error.
 *
 * @param flags   The command's flags.
 * @param aliasOf The old command name this run was started under, if any (said once on start).
 * @returns The exit code (on a start-up failure, or 0 after stopping).
 */
export async function runServe(flags: ServeFlags, aliasOf?: string): Promise<number> {
  const interrupted = interruption();
  try {
    const port = portOf(flags.port);
    const root = resolve(flags.root);
    const config = await loadConfig(root);
    let busySaid = false;
    const log = lineWriter((text) => process.stdout.write(text));
    const server = await startServer({
      root,
      config,
      secret: process.env.SAHIFA_SECRET,
      smtpUrl: process.env.SAHIFA_SMTP_URL,
      port,
      host: flags.host,
      onLog: log.line,
      onBusy: () => {
        if (busySaid) return;
        busySaid = true;
        process.stderr.write(`${config.database}: busy (another process is writing); the request waits and retries\n`);
      },
    });
    if (aliasOf && config.email?.unsubscribeUrl) {
      process.stdout.write(`sahifa ${aliasOf} is now sahifa serve (see "Readers subscribe" in the README); the old name works until the next release.\n`);
      const local = new URL(new URL(config.email.unsubscribeUrl).pathname.slice(1), server.url);
      process.stdout.write(`Answering unsubscribe requests at ${local.href} (for ${config.email.unsubscribeUrl}). Ctrl+C stops.\n`);
    } else {
      if (aliasOf) process.stdout.write(`sahifa ${aliasOf} is now sahifa serve (see "Readers subscribe" in the README); the old name works until the next release.\n`);
      process.stdout.write(`Serving subscriptions at ${server.url} (public address ${config.serve.url ?? ''}). Ctrl+C stops.\n`);
    }
    await interrupted;
    await server.close();
    log.flush();
    return 0;
  } catch (error) {
    printError(error);
    return 1;
  }
}
