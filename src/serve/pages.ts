import Handlebars from 'handlebars';
import type { ServerResponse } from 'node:http';
import { directionOf } from '../config/direction.js';
import { fill } from '../config/locales.js';
import type { SiteConfig } from '../config/schema.js';
import { isolateRuns } from '../render/shared/helpers.js';
import { baseContext, ogLocale } from '../render/page/page-context.js';
import type { TemplateSet } from '../render/template-set.js';
import type { ServiceStrings } from './strings.js';

/** What one of the service's pages says. */
export interface ServicePage {
  /** The heading and title. */
  title: string;
  /** Paragraphs, as HTML already escaped (see {@link sentence}). */
  paragraphs: Handlebars.SafeString[];
  /** A form with one button (confirm, unsubscribe, subscribe again). */
  form?: { action?: string; fields: Array<{ name: string; value: string }>; button: string };
  /** A link back to the blog. */
  back?: { href: string; label: string };
}

/** What the pages and JSON answers need. */
export interface PageKit {
  config: SiteConfig;
  templates: TemplateSet;
  strings: ServiceStrings;
  /** The language of `strings`. */
  lang: string;
}

const HEADERS = { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

/**
 * A locale sentence as HTML: `{site}` and other values filled in, every
 * run written against the page's direction isolated, and an address in
 * `<bdi dir="ltr">`.
 *
 * @param kit      Config and strings.
 * @param template The locale sentence.
 * @param values   Values to fill; `email` is isolated whole.
 */
export function sentence(kit: PageKit, template: string, values: Record<string, string | number> = {}): Handlebars.SafeString {
  const dir = directionOf(kit.lang);
  const { email, ...rest } = values;
  const html = template
    .split('{email}')
    .map((part) => isolateRuns(fill(part, { site: kit.config.title, ...rest }), dir))
    .join(email === undefined ? '{email}' : `<bdi dir="ltr">${Handlebars.escapeExpression(String(email))}</bdi>`);
  return new Handlebars.SafeString(html);
}

/**
 * Writes one of the service's pages: `templates/page/service.hbs` with the
 * blog's head, header and footer partials and stylesheet (every link
 * absolute, from the site's URL, as the service runs at another address).
 *
 * @param response The response.
 * @param status   HTTP status.
 * @param kit      Config, templates and strings.
 * @param page     What the page says.
 * @param headers  Extra headers (`Retry-After`).
 */
export function sendPage(response: ServerResponse, status: number, kit: PageKit, page: ServicePage, headers: Readonly<Record<string, string>> = {}): void {
  const { config } = kit;
  const base = baseContext(config, kit.lang, config.url, new Date());
  const documentTitle = `${page.title} – ${config.title}`;
  const html = kit.templates.render('service.hbs', {
    ...base,
    page: {
      lang: kit.lang,
      dir: directionOf(kit.lang),
      title: documentTitle,
      documentTitle,
      description: page.title,
      canonical: config.url,
      type: 'website',
      ogLocale: ogLocale(kit.lang),
      noindex: true,
      jsonLd: { '@context': 'https://schema.org', '@type': 'WebPage', name: documentTitle, inLanguage: kit.lang },
    },
    service: page,
  });
  response.writeHead(status, { ...HEADERS, ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  response.end(html);
}

/** A JSON answer's bytes and, per set of extra headers made once (frozen), its whole header list. */
interface JsonAnswer {
  bytes: Buffer;
  heads: WeakMap<object, string[]>;
}

/** The JSON answers given so far, by their text: they come from the locale strings, so there are few. */
const jsonAnswers = new Map<string, JsonAnswer>();
/** A bound on {@link jsonAnswers}, in case a caller ever puts something of a request's own in an answer. */
const MAX_JSON_ANSWERS = 64;
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
const JSON_HEAD = [...Object.entries(HEADERS).flat(), 'Content-Type', 'application/json; charset=utf-8'];

function jsonAnswerOf(body: { ok: true; message: string } | { ok: false; error: string }): JsonAnswer {
  const key = body.ok ? `+${body.message}` : `-${body.error}`;
  let answer = jsonAnswers.get(key);
  if (!answer) {
    if (jsonAnswers.size >= MAX_JSON_ANSWERS) jsonAnswers.clear();
    answer = { bytes: Buffer.from(JSON.stringify(body)), heads: new WeakMap() };
    jsonAnswers.set(key, answer);
  }
  return answer;
}

/**
 * Writes a JSON answer: `{"ok": true, "message": …}` or `{"ok": false, "error": …}`.
 * The bytes of each answer are made once, and so is its header list for
 * extra headers that are frozen (the CORS headers of an origin): the common
 * answer is one `writeHead` of a ready list and one `end` of a ready buffer.
 *
 * @param response The response.
 * @param status   HTTP status.
 * @param body     The answer.
 * @param headers  Extra headers (`Retry-After`, CORS).
 */
export function sendJson(response: ServerResponse, status: number, body: { ok: true; message: string } | { ok: false; error: string }, headers: Readonly<Record<string, string>> = NO_HEADERS): void {
  const answer = jsonAnswerOf(body);
  let head = answer.heads.get(headers);
  if (!head) {
    head = [...JSON_HEAD, ...Object.entries(headers).flat(), 'Content-Length', String(answer.bytes.length)];
    if (Object.isFrozen(headers)) answer.heads.set(headers, head);
  }
  response.writeHead(status, head);
  response.end(answer.bytes);
}

/**
 * Whether the client asked for JSON (`Accept: application/json` before any HTML).
 *
 * @param accept The `Accept` header.
 */
export function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase());
  const json = types.indexOf('application/json');
  const html = types.indexOf('text/html');
  return json !== -1 && (html === -1 || json < html);
}
