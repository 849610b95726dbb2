import type { IncomingMessage, ServerResponse } from 'node:http';
import { fill, localeFor } from '../config/locales.js';
import { normalizeAddress } from '../send/address.js';
import { patiently } from '../send/patient-write.js';
import { verifyUnsubscribeToken } from '../send/unsubscribe.js';
import { readFields } from './body.js';
import type { ServiceContext } from './context.js';
import { sendPage, sentence, type ServicePage } from './pages.js';
import { stateOf, unsubscribe } from './subscriptions.js';
import { readUnsubscribeToken } from './tokens.js';

/**
 * The address an unsubscribe link is for: an opaque token (`?token=…`), or a
 * link of the older form (`?list=…&email=…&token=…`, HMAC-signed), which
 * emails already sent still carry. `undefined` when neither is genuine or
 * the link is for another list.
 */
function linkAddress(context: ServiceContext, fields: URLSearchParams): string | undefined {
  const token = fields.get('token') ?? '';
  const sealed = readUnsubscribeToken(context.secret, token);
  if (sealed) return sealed.list === context.listId ? sealed.address : undefined;
  const given = fields.get('email') ?? '';
  const checked = normalizeAddress(given);
  if (!checked.ok || fields.get('list') !== context.listId) return undefined;
  // A link signs the address as it was stored then; one stored before today's normal form still counts.
  return [checked.address, given].some((address) => address && verifyUnsubscribeToken(context.secret, address, context.listId, token)) ? checked.address : undefined;
}

/**
 * `GET /unsubscribe?token=…` asks with one button (link scanners follow GET
 * links and must not unsubscribe anyone); `POST` — the button, or a mail
 * client's RFC 8058 one-click request (`List-Unsubscribe=One-Click`) —
 * unsubscribes. A second visit says the address is already unsubscribed;
 * both pages offer the way back (a new subscription, confirmed by email).
 *
 * An unsubscribe is never lost: while another process holds the database
 * the request waits and retries, and if the change still cannot be written
 * the answer is 503 with `Retry-After` and nothing changed, never "invalid
 * link", which only a link that fails its check gets.
 *
 * @param context  The service.
 * @param request  The request.
 * @param response The response.
 * @param query    The request's query.
 */
export async function handleUnsubscribe(context: ServiceContext, request: IncomingMessage, response: ServerResponse, query: URLSearchParams): Promise<void> {
  const { pages, config } = context;
  const strings = pages.strings;
  const site = localeFor(pages.lang);
  const fields = new URLSearchParams(query);
  if (request.method === 'POST') {
    const body = await readFields(request, context.maxBodyBytes);
    if (body.ok) for (const [key, value] of body.fields) if (!fields.has(key)) fields.set(key, value);
  }
  const show = (status: number, page: Omit<ServicePage, 'title' | 'back'>) =>
    sendPage(response, status, pages, { title: strings.unsubscribeTitle, back: { href: config.url, label: strings.back }, ...page });
  const address = linkAddress(context, fields);
  if (!address) return sendPage(response, 400, pages, { title: strings.badLinkTitle, paragraphs: [sentence(pages, site.unsubscribeBadLink)], back: { href: config.url, label: strings.back } });
  const wayBack = {
    action: new URL('subscribe', context.publicUrl).href,
    fields: [{ name: config.subscribe.field, value: address }],
    button: strings.subscribeAgain,
  };
  const patience = { patience: context.patience, onBusy: context.onBusy };
  if (request.method !== 'POST') {
    const state = await patiently(context.db, () => stateOf(context.db, address), patience);
    if (state !== 'active' && state !== 'pending') return show(200, { paragraphs: [sentence(pages, strings.alreadyUnsubscribed)], form: wayBack });
    return show(200, {
      paragraphs: [sentence(pages, site.unsubscribeQuestion, { email: address })],
      form: { fields: [], button: site.unsubscribe },
    });
  }
  await patiently(context.db, () => unsubscribe(context.db, address), { ...patience, write: true });
  return show(200, { paragraphs: [sentence(pages, fill(site.unsubscribed, { site: config.title }))], form: wayBack });
}
