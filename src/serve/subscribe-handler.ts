import type { IncomingMessage, ServerResponse } from 'node:http';
import { fill, localeFor } from '../config/locales.js';
import { addressKey, normalizeAddress } from '../send/address.js';
import { readFields } from './body.js';
import { clientAddress, originAllowed, pageOf } from './client.js';
import type { ServiceContext } from './context.js';
import { readableBy } from './cors.js';
import { sendJson, sendPage, sentence, wantsJson } from './pages.js';

/** The honeypot field: hidden from people, filled by bots; a request with it filled is answered and ignored. */
export const HONEYPOT_FIELD = 'website';

/** The locale sentences of the answers with `{site}` filled in, per service (the same few on every request). */
const filledAnswers = new WeakMap<ServiceContext, Map<string, string>>();

function filled(context: ServiceContext, text: string): string {
  let known = filledAnswers.get(context);
  if (!known) {
    known = new Map();
    filledAnswers.set(context, known);
  }
  let message = known.get(text);
  if (message === undefined) {
    message = fill(text, { site: context.config.title });
    known.set(text, message);
  }
  return message;
}

/**
 * An answer to a subscribe request: JSON for `Accept: application/json`,
 * else a page with a link back to the form's page. `cors` are the headers
 * that let the blog's page read it (see `readableBy`).
 */
function answer(
  context: ServiceContext,
  request: IncomingMessage,
  response: ServerResponse,
  cors: Readonly<Record<string, string>>,
  status: number,
  text: string,
  back: string,
  headers?: Record<string, string>,
): void {
  const { pages } = context;
  const all = headers ? { ...cors, ...headers } : cors;
  if (wantsJson(request.headers.accept)) {
    const message = filled(context, text);
    sendJson(response, status, status === 200 ? { ok: true, message } : { ok: false, error: message }, all);
    return;
  }
  const page = { title: pages.strings.subscribeTitle, paragraphs: [sentence(pages, text)], back: { href: back, label: pages.strings.back } };
  sendPage(response, status, pages, page, all);
}

/**
 * `POST /subscribe`: the footer form's action. In order: the `Origin`
 * check (403), the per-IP limit (429), the body (413, 400, 415), the
 * honeypot, the address (400), the per-address limit (429); then the
 * request is recorded (see `recordSignUp`) with its confirmation
 * email in the outbox, in one transaction; the outbox's drainer sends it. The answer is the same, byte for byte,
 * whether the address is new, pending, active or unsubscribed.
 *
 * @param context  The service.
 * @param request  The request.
 * @param response The response.
 */
export async function handleSubscribe(context: ServiceContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { pages, config } = context;
  const strings = pages.strings;
  const cors = readableBy(request, context.origins);
  const referer = pageOf(request.headers.referer, context.origins);
  if (!originAllowed(request, context.origins, request.headers.host)) return answer(context, request, response, cors, 403, strings.wrongOrigin, config.url);
  const ip = context.limits.ip(clientAddress(request, context.trustProxy));
  if (!ip.ok) return answer(context, request, response, cors, 429, strings.tooMany, referer ?? config.url, { 'Retry-After': String(ip.retryAfter) });
  const body = await readFields(request, context.maxBodyBytes);
  if (!body.ok) return answer(context, request, response, cors, body.status, strings.badRequest, referer ?? config.url);
  const { fields } = body;
  const page = pageOf(fields.get('page'), context.origins) ?? referer;
  const back = page ?? config.url;
  const success = () => answer(context, request, response, cors, 200, strings.subscribeAnswer, back);
  if ((fields.get(HONEYPOT_FIELD) ?? '') !== '') return success();
  const checked = normalizeAddress(fields.get(config.subscribe.field) ?? fields.get('email') ?? '');
  if (!checked.ok) return answer(context, request, response, cors, 400, strings.badAddress, back);
  const perAddress = context.limits.address(addressKey(checked.address));
  if (!perAddress.ok) return answer(context, request, response, cors, 429, strings.tooMany, back, { 'Retry-After': String(perAddress.retryAfter) });
  const wording = filled(context, localeFor(config.lang).subscribeLead);
  const expires = Math.floor(Date.now() / 1000) + context.mail.confirmHours * 3600;
  // The pending subscriber and the email owed to them are committed together (see recordSignUp) before the answer.
  const send = await context.signUps.record({ address: checked.address, page, wording, lang: config.lang, expires, senderDomain: context.senderDomain });
  if (send) context.wakeOutbox();
  return success();
}
