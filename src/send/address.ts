import { domainToASCII, domainToUnicode } from 'node:url';
import validator from 'validator';

/** An address after checking: `ok` with its normal form, or the reason it is no address. */
export type AddressCheck = { ok: true; address: string } | { ok: false; reason: string };

/**
 * Checks an email address and writes it in one normal form, so that the same
 * person is never stored twice: surrounding white space removed, Unicode in
 * NFC, the domain in lower case and in its Unicode form (`XN--MGBH0FB.…` and
 * `مثال.…` are one domain). The local part keeps its case, as RFC 5321 says
 * it may matter.
 *
 * @param input What was typed or imported.
 */
export function normalizeAddress(input: string): AddressCheck {
  const trimmed = input.normalize('NFC').trim();
  if (/[\r\n\t]/.test(trimmed)) return { ok: false, reason: 'an address cannot contain line breaks or tabs' };
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return { ok: false, reason: `"${trimmed}" is no email address (expected name@domain)` };
  const local = trimmed.slice(0, at);
  const ascii = domainToASCII(trimmed.slice(at + 1).toLowerCase());
  if (!ascii) return { ok: false, reason: `"${trimmed.slice(at + 1)}" is no valid domain` };
  if (!validator.isEmail(`${local}@${ascii}`, { allow_utf8_local_part: true, require_tld: true, allow_ip_domain: false })) {
    return { ok: false, reason: `"${trimmed}" is no email address (expected name@domain)` };
  }
  return { ok: true, address: `${local}@${domainToUnicode(ascii)}` };
}

/**
 * The key two addresses share when they name one subscriber: the normalised
 * address in Unicode NFC with its case folded beyond ASCII (`Özil@` and
 * `özil@`, `STRASSE@` and `straße@`, `ΟΔΟΣ@` and `οδος@` share a key).
 * Upper-casing first and lower-casing after is how JavaScript reaches full
 * case folding (`ß` → `SS` → `ss`, final `ς` → `Σ` → `σ`); lower-casing alone
 * would leave those apart. (Unlike Unicode's own folding it also makes the
 * Turkish dotless `ı` one with `i`: a merge too many rather than a mailbox
 * mailed twice.)
 *
 * @param address A normalised address (see {@link normalizeAddress}).
 */
export function addressKey(address: string): string {
  return address.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}
