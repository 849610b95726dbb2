import { confirmToken, type ConfirmClaim } from './tokens.js';

/** Where a confirmation link's token is made: the secret and the service's public address. */
export interface LinkMaker {
  /** `SAHIFA_SECRET`. */
  secret: string;
  /** The service's public address, ending in `/`. */
  publicUrl: string;
}

/**
 * The confirmation link of a consent record: `<publicUrl>confirm?token=…`,
 * the token opaque and expiring (see `confirmToken`).
 *
 * @param maker Secret and public address.
 * @param claim Address, the consent record's nonce, and when the link stops working.
 */
export function confirmLink(maker: LinkMaker, claim: ConfirmClaim): string {
  const url = new URL('confirm', maker.publicUrl);
  url.searchParams.set('token', confirmToken(maker.secret, claim));
  return url.href;
}
