import Handlebars from 'handlebars';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { directionOf } from '../config/direction.js';
import { fill, localeFor } from '../config/locales.js';
import type { SiteConfig } from '../config/schema.js';
import { normalizeAddress } from './address.js';
import type { SahifaDatabase } from './database.js';
import { isBusy } from './database-errors.js';
import { patiently } from './patient-write.js';
import { findSubscriber, setSubscriberState } from './subscribers.js';
import { verifyUnsubscribeToken } from './unsubscribe.js';
import { listIdOf } from './personalize.js';
import { listen } from '../net/listen.js';
import { parseRequestTarget } from '../net/request-target.js';

/** Options of {@link startUnsubscribeServer}. */
export interface UnsubscribeServerOptions {
  db: SahifaDatabase;
  config: SiteConfig;
  /** The secret the links were signed with (`SAHIFA_SECRET`). */
  secret: string;
  port?: number;
  host?: string;
  /**
   * How long a request keeps retrying while another process (a running
   * `sahifa send`) holds the database, in milliseconds, before it is
   * answered 503 with `Retry-After`. Default 20 000.
   */
  patience?: number;
  /** Seconds a 503 answer asks the client to wait (`Retry-After`). Default 60. */
  retryAfter?: number;
  /** Called each time the database was busy during a request (for a log line). */
  onBusy?: (attempt: number, waited: number) => void;
}

/** The largest form body accepted, in bytes. */
const MAX_BODY = 8 * 1024;

/**
 * The endpoint behind `email.unsubscribeUrl`, for sites with no other:
 * - `POST` with `list`, `email` and `token` (in the query, as mail clients
 *   send RFC 8058 one-click requests with `List-Unsubscribe=One-Click` in the
 *   body, or in the form body) checks the token and marks the subscriber
 *   unsubscribed;
 * - `GET` (the footer link) shows a page asking to confirm with one button,
 *   because link scanners follow GET links and must not unsubscribe anyone.
 * Pages are in the site's language and direction. Run it behind your web
 * server's HTTPS, at the path of `email.unsubscribeUrl`.
 *
 * An unsubscribe is never lost: while another process holds the database
 * the request waits and retries (see `patience`), and if the change still
 * cannot be written the answer is 503 with `Retry-After` and nothing changed
 * — never "invalid link", which only a token that fails its check gets. Any
 * other failure is a 500 that says to try again.
 *
 * @param options Database, site, secret and address.
 */
export async function startUnsubscribeServer(options: UnsubscribeServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const { config, db, secret } = options;
  const rawPath = new URL(config.email?.unsubscribeUrl ?? 'https://invalid/unsubscribe').pathname;
  const path = parseRequestTarget(rawPath)?.path ?? rawPath;
  const listId = listIdOf(config);
  const strings = localeFor(config.lang);
  const page = (response: ServerResponse, status: number, body: string) => {
    response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' });
    const dir = directionOf(config.lang);
    response.end(
      `<!DOCTYPE html><html lang="${config.lang}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${Handlebars.escapeExpression(config.title)}</title></head><body style="font-family:Tahoma,'Segoe UI',system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.8">${body}</body></html>`,
    );
  };
  const badLink = (response: ServerResponse) => page(response, 400, `<p>${Handlebars.escapeExpression(strings.unsubscribeBadLink)}</p>`);
  const retryAfter = String(options.retryAfter ?? 60);
  const tryAgain = (response: ServerResponse, status: number) => {
    response.setHeader('Retry-After', retryAfter);
    page(response, status, `<p>${Handlebars.escapeExpression(strings.unsubscribeBusy)}</p>`);
  };
  const patience = { patience: options.patience ?? 20_000, onBusy: options.onBusy };
  const unsubscribedPage = (response: ServerResponse) =>
    page(response, 200, `<p>${fill(Handlebars.escapeExpression(strings.unsubscribed), { site: Handlebars.escapeExpression(config.title) })}</p>`);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const target = parseRequestTarget(request.url);
    if (!target) return page(response, 400, '<p>400</p>');
    if (target.path !== path) return page(response, 404, '<p>404</p>');
    const fields = new URLSearchParams(target.query);
    if (request.method === 'POST') {
      const body = await readBody(request);
      if (body === undefined) return page(response, 413, '<p>413</p>');
      for (const [key, value] of new URLSearchParams(body)) if (!fields.has(key)) fields.set(key, value);
    } else if (request.method !== 'GET') {
      response.writeHead(405, { Allow: 'GET, POST' }).end();
      return;
    }
    const checked = normalizeAddress(fields.get('email') ?? '');
    const token = fields.get('token') ?? '';
    // A link signs the address as it was stored then; one stored before today's normal form still counts.
    const signed = [checked.ok ? checked.address : '', fields.get('email') ?? ''].some((address) => address && verifyUnsubscribeToken(secret, address, listId, token));
    if (!checked.ok || fields.get('list') !== listId || !signed) return badLink(response);
    const site = Handlebars.escapeExpression(config.title);
    if (request.method === 'GET') {
      const subscriber = await patiently(db, () => findSubscriber(db, checked.address), patience);
      if (subscriber && subscriber.state !== 'active') return unsubscribedPage(response);
      const hidden = ['list', 'email', 'token'].map((name) => `<input type="hidden" name="${name}" value="${Handlebars.escapeExpression(fields.get(name) ?? '')}">`).join('');
      const question = fill(Handlebars.escapeExpression(strings.unsubscribeQuestion), { site, email: `<bdi>${Handlebars.escapeExpression(checked.address)}</bdi>` });
      return page(response, 200, `<form method="post"><p>${question}</p>${hidden}<button type="submit">${Handlebars.escapeExpression(strings.unsubscribe)}</button></form>`);
    }
    await patiently(
      db,
      () => {
        const subscriber = findSubscriber(db, checked.address);
        if (subscriber && subscriber.state === 'active') setSubscriberState(db, subscriber.email, 'unsubscribed');
      },
      { ...patience, write: true },
    );
    return unsubscribedPage(response);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) tryAgain(response, isBusy(error) ? 503 : 500);
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await listen(server, options.port ?? 8025, options.host ?? '127.0.0.1');
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}${rawPath}`,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

/** A small request body as text, or `undefined` when it is larger than a form needs. */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) {
        resolve(undefined);
        request.removeAllListeners('data');
        request.resume();
      }
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}
