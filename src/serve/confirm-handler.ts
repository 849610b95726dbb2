import type { IncomingMessage, ServerResponse } from 'node:http';
import { fill } from '../config/locales.js';
import { readFields } from './body.js';
import type { ServiceContext } from './context.js';
import { sendPage, sentence, type ServicePage } from './pages.js';
import { confirmSubscription, peekConfirmation } from './subscriptions.js';
import { patiently } from '../send/patient-write.js';
import { enqueueEmail } from './outbox/store.js';
import { readConfirmToken, unsubscribeClaimToken } from './tokens.js';

/**
 * `GET /confirm?token=…` shows a page with one button; `POST` (the button)
 * confirms. A GET never changes anything, because mail scanners and link
 * previews fetch every link in a message: if a GET confirmed, an address
 * typed in by someone else would be confirmed without its owner. Confirming
 * twice shows the same "confirmed" page; an expired link says so and points
 * back to the site's form.
 *
 * @param context  The service.
 * @param request  The request.
 * @param response The response.
 * @param query    The request's query.
 */
export async function handleConfirm(context: ServiceContext, request: IncomingMessage, response: ServerResponse, query: URLSearchParams): Promise<void> {
  const { pages, config } = context;
  const strings = pages.strings;
  const plainTitle = fill(strings.confirmTitle, { site: config.title });
  const back = { href: config.url, label: strings.back };
  const show = (status: number, page: Omit<ServicePage, 'title'>) => sendPage(response, status, pages, { title: plainTitle, back, ...page });
  let token = query.get('token') ?? '';
  if (request.method === 'POST') {
    const body = await readFields(request, context.maxBodyBytes);
    if (body.ok && !token) token = body.fields.get('token') ?? '';
  }
  const claim = readConfirmToken(context.secret, token);
  if (!claim) return show(400, { paragraphs: [sentence(pages, strings.confirmInvalid)] });
  if (claim.expires * 1000 < Date.now()) return show(410, { paragraphs: [sentence(pages, strings.confirmExpired)] });
  const patience = { patience: context.patience, onBusy: context.onBusy };
  if (request.method !== 'POST') {
    const state = await patiently(context.db, () => peekConfirmation(context.db, claim.address, claim.nonce), patience);
    if (state === 'invalid') return show(400, { paragraphs: [sentence(pages, strings.confirmInvalid)] });
    if (state === 'already') return show(200, { paragraphs: [sentence(pages, strings.confirmed)] });
    return show(200, { paragraphs: [sentence(pages, strings.confirmQuestion, { email: claim.address })], form: { fields: [{ name: 'token', value: token }], button: strings.confirmButton } });
  }
  const outcome = await patiently(
    context.db,
    () => {
      const confirmed = confirmSubscription(context.db, claim.address, claim.nonce);
      if (confirmed === 'confirmed' && config.subscribe.welcome) {
        const unsubscribeUrl = new URL(context.unsubscribeBase);
        unsubscribeUrl.searchParams.set('token', unsubscribeClaimToken(context.secret, { address: claim.address, list: context.listId }));
        enqueueEmail(context.db, { kind: 'welcome', to: claim.address, unsubscribeUrl: unsubscribeUrl.href, listId: context.listId }, context.senderDomain);
      }
      return confirmed;
    },
    { ...patience, write: true },
  );
  if (outcome === 'invalid') return show(400, { paragraphs: [sentence(pages, strings.confirmInvalid)] });
  if (outcome === 'confirmed' && config.subscribe.welcome) context.wakeOutbox();
  return show(200, { paragraphs: [sentence(pages, strings.confirmed)] });
}
