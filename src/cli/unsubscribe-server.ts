import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { openSiteDatabase } from '../send/database.js';
import { startUnsubscribeServer } from '../send/unsubscribe-server.js';
import { portOf, printError, untilInterrupted } from './output.js';

/** Flags of `sahifa unsubscribe-server`. */
export interface UnsubscribeServerFlags {
  root: string;
  port: string;
  host: string;
}

/**
 * `sahifa unsubscribe-server`: answers unsubscribe requests until stopped.
 *
 * @param flags The command's flags.
 * @returns The exit code (on a start-up failure, or 0 after Ctrl+C).
 */
export async function runUnsubscribeServer(flags: UnsubscribeServerFlags): Promise<number> {
  try {
    const secret = process.env.SAHIFA_SECRET;
    if (!secret) throw new Error('set SAHIFA_SECRET in the environment: the same secret the emails were sent with');
    const port = portOf(flags.port);
    const root = resolve(flags.root);
    const config = await loadConfig(root);
    if (!config.email?.unsubscribeUrl) throw new Error('set "email.unsubscribeUrl" in sahifa.config.json: this server answers at its path');
    const db = openSiteDatabase(root, config);
    const onBusy = (attempt: number) => {
      if (attempt === 1) process.stderr.write(`${config.database}: busy (another process is writing); the request waits and retries\n`);
    };
    const server = await startUnsubscribeServer({ db, config, secret, port, host: flags.host, onBusy });
    process.stdout.write(`Answering unsubscribe requests at ${server.url} (for ${config.email.unsubscribeUrl}). Ctrl+C stops.\n`);
    await untilInterrupted(() => server.close());
    db.close();
    return 0;
  } catch (error) {
    printError(error);
    return 1;
  }
}
