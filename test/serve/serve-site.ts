import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { openDatabase, type SahifaDatabase } from '../../src/send/database.js';
import { startServer, type RunningServer, type ServeOptions } from '../../src/serve/server.js';
import { copyFixture } from '../helpers/site.js';
import { startSmtpServer, type SmtpServerOptions, type TestSmtpServer } from '../helpers/smtp.js';

/** A secret of the length `sahifa serve` requires. */
export const SECRET = 'issue-11-secret-that-is-long-enough-to-sign';

/** The site's public origin (`url` in the fixture). */
export const SITE_ORIGIN = 'https://example.org';

/** A running `serve-site`: the service in-process, a real SMTP server, the database, its log. */
export interface ServeSite {
  root: string;
  db: SahifaDatabase;
  smtp: TestSmtpServer;
  server: RunningServer;
  log: string[];
  /** A public link (`https://example.org/newsletter/confirm?token=…`) on the local server. */
  local(link: string): URL;
  /** `POST /subscribe` as the footer form does (form-encoded, from the site's origin). */
  subscribe(address: string, extra?: { headers?: Record<string, string>; fields?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts the `serve-site` fixture's service on a free loopback port with a
 * real SMTP server behind it.
 *
 * @param options Options passed on to `startServer`.
 * @param smtpOptions Options of the test SMTP server.
 */
export async function startServeSite(options: Partial<ServeOptions> = {}, smtpOptions: SmtpServerOptions = {}): Promise<ServeSite> {
  const root = await copyFixture('serve-site');
  const config = await loadConfig(root);
  const db = openDatabase(join(root, config.database));
  const smtp = await startSmtpServer(smtpOptions);
  const log: string[] = [];
  const server = await startServer({ root, db, secret: SECRET, smtpUrl: smtp.url, port: 0, onLog: (line) => log.push(line), ...options });
  const local = (link: string) => {
    const url = new URL(link);
    return new URL(`${url.pathname}${url.search}`, server.url);
  };
  return {
    root,
    db,
    smtp,
    server,
    log,
    local,
    subscribe: (address, extra = {}) =>
      fetch(new URL('/newsletter/subscribe', server.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: SITE_ORIGIN, ...extra.headers },
        body: new URLSearchParams({ email: address, website: '', page: 'https://example.org/talks/', ...extra.fields }).toString(),
      }),
    async close() {
      await server.close();
      await smtp.close();
      db.close();
    },
  };
}

/**
 * The link in an email's HTML whose URL starts with `prefix`.
 *
 * @param html   The HTML part.
 * @param prefix E.g. `https://example.org/newsletter/confirm?token=`.
 */
export function linkIn(html: string, prefix: string): string {
  // Handlebars writes `=` as `&#x3D;` in attributes; a mail client decodes it as a browser does.
  const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((match) => (match[1] ?? '').replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'));
  const found = hrefs.find((href) => href.startsWith(prefix));
  if (!found) throw new Error(`no link starting with ${prefix} in the email`);
  return found;
}
