import { createHmac, timingSafeEqual } from 'node:crypto';
import { unsubscribeClaimToken } from '../serve/tokens.js';

/**
 * The token that proves an unsubscribe link was made by this site for this
 * subscriber and list: HMAC-SHA256 over both with the site's secret
 * (`SAHIFA_SECRET`), base64url.
 *
 * @param secret  The signing secret.
 * @param address The subscriber's normalised address.
 * @param listId  The list's id.
 */
export function unsubscribeToken(secret: string, address: string, listId: string): string {
  return createHmac('sha256', secret).update(`${listId}\n${address}`).digest('base64url');
}

/**
 * Whether a token from an unsubscribe request is genuine (for the endpoint
 * at `email.unsubscribeUrl`).
 *
 * @param secret  The signing secret.
 * @param address The address in the request.
 * @param listId  The list in the request.
 * @param token   The token in the request.
 */
export function verifyUnsubscribeToken(secret: string, address: string, listId: string, token: string): boolean {
  const expected = Buffer.from(unsubscribeToken(secret, address, listId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The one-click unsubscribe URL of a subscriber: `<unsubscribeUrl>?token=…`,
 * an opaque token that carries the address and list sealed (see
 * `sahifa serve`), so no address appears in clear in the URL or in the
 * logs of proxies on the way. Links of the older form
 * (`?list=…&email=…&token=…`) keep working.
 *
 * @param base    The site's `email.unsubscribeUrl`.
 * @param secret  The signing secret.
 * @param address The subscriber's normalised address.
 * @param listId  The list's id.
 */
export function unsubscribeUrl(base: string, secret: string, address: string, listId: string): string {
  const url = new URL(base);
  url.searchParams.set('token', unsubscribeClaimToken(secret, { address, list: listId }));
  return url.href;
}
