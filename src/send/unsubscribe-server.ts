import Handlebars from 'handlebars';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { directionOf } from '../config/direction.js';
import { fill, localeFor } from '../config/locales.js';
import type { SiteConfig } from '../config/schema.js';
import { normalizeAddress } from './address.js';
import type { SahifaDatabase } from './database.js';
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

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const target = parseRequestTarget(request.url);
    if (!target) return page(response, 400, '<p>400</p>');
    if (target.path !== path) return page(response, 404, '<p>404</p>');
    const fields = new URLSearchParams(target.query);
    if (request.method === 'POST') {
      for (const [key, value] of new URLSearchParams(await readBody(request))) if (!fields.has(key)) fields.set(key, value);
    } else if (request.method !== 'GET') {
      response.writeHead(405, { Allow: 'GET, POST' }).end();
      return;
    }
    const checked = normalizeAddress(fields.get('email') ?? '');
    const token = fields.get('token') ?? '';
    if (!checked.ok || fields.get('list') !== listId || !verifyUnsubscribeToken(secret, checked.address, listId, token)) return badLink(response);
    const site = Handlebars.escapeExpression(config.title);
    if (request.method === 'GET') {
      const hidden = ['list', 'email', 'token'].map((name) => `<input type="hidden" name="${name}" value="${Handlebars.escapeExpression(fields.get(name) ?? '')}">`).join('');
      const question = fill(Handlebars.escapeExpression(strings.unsubscribeQuestion), { site, email: `<bdi>${Handlebars.escapeExpression(checked.address)}</bdi>` });
      return page(response, 200, `<form method="post"><p>${question}</p>${hidden}<button type="submit">${Handlebars.escapeExpression(strings.unsubscribe)}</button></form>`);
    }
    const subscriber = findSubscriber(db, checked.address);
    if (subscriber && subscriber.state === 'active') setSubscriberState(db, subscriber.email, 'unsubscribed');
    return page(response, 200, `<p>${fill(Handlebars.escapeExpression(strings.unsubscribed), { site })}</p>`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) badLink(response);
    });
  });
  await listen(server, options.port ?? 8025, options.host ?? '127.0.0.1');
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}${rawPath}`,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

/** A small request body as text; refuses anything larger than a form needs. */
function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) {
        reject(new Error('body too large'));
        request.destroy();
      }
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}
