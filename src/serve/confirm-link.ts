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
  // The token is base64url, which a query string carries as is: the same href as URLSearchParams would give.
  return `${confirmBase(maker.publicUrl)}${confirmToken(maker.secret, claim)}`;
}

/** `<publicUrl>confirm?token=` per public address: parsing a URL per email cost more than sealing its token. */
const bases = new Map<string, string>();

function confirmBase(publicUrl: string): string {
  let base = bases.get(publicUrl);
  if (base === undefined) {
    const url = new URL('confirm', publicUrl);
    url.search = '?token=';
    base = url.href;
    bases.set(publicUrl, base);
  }
  return base;
}
