import { fileURLToPath } from 'node:url';
import type { SiteConfig } from '../config/schema.js';
import type { SahifaDatabase } from '../send/database.js';
import type { MailTransport } from '../send/transport.js';
import { startServer, type RunningServer } from './server.js';

/** Options of {@link startUnsubscribeServer}. */
export interface UnsubscribeServerOptions {
  db: SahifaDatabase;
  config: SiteConfig;
  /** The secret the links were signed with (`SAHIFA_SECRET`, at least 32 bytes). */
  secret: string;
  port?: number;
  host?: string;
  /** Milliseconds a request waits for a busy database before a 503 (default 20 000). */
  patience?: number;
  /** Seconds a 503 asks the client to wait (default 60). */
  retryAfter?: number;
  /** Called each time the database was busy during a request. */
  onBusy?: (attempt: number, waited: number) => void;
  /** The site root, for its templates (default: the default theme only). */
  root?: string;
  /** How to send confirmation emails (default: none; subscribe requests are answered but send nothing). */
  transport?: MailTransport;
}

/** The package's own folder: its `templates/` is the default theme, so nothing overrides it. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A transport for a service started only to answer unsubscribe links. */
const NO_MAIL: MailTransport = {
  send: () => Promise.resolve({ status: 'permanent', response: 'no SMTP server configured (SAHIFA_SMTP_URL)' }),
  close: () => Promise.resolve(),
};

/**
 * The unsubscribe endpoint as it was before `sahifa serve`: the same
 * service, started with a database and config in hand. Kept for one release;
 * use {@link startServer}.
 *
 * @deprecated Use `startServer` from `src/serve/server.ts`.
 * @param options Database, site, secret and address.
 */
export function startUnsubscribeServer(options: UnsubscribeServerOptions): Promise<RunningServer> {
  return startServer({ ...options, root: options.root ?? PACKAGE_ROOT, transport: options.transport ?? NO_MAIL });
}
