import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { pooledRandomBytes } from './random-pool.js';

/** What a token is for; each purpose has its own key, so one kind never passes for another. */
export type TokenPurpose = 'unsubscribe' | 'confirm';

/** What an unsubscribe link carries. */
export interface UnsubscribeClaim {
  /** The subscriber's normalised address. */
  address: string;
  /** The list's id. */
  list: string;
}

/** What a confirmation link carries. */
export interface ConfirmClaim {
  /** The address that asked to subscribe. */
  address: string;
  /** The nonce of the consent record the link confirms. */
  nonce: string;
  /** When the link stops working, in seconds since 1970. */
  expires: number;
}

/** The shortest secret accepted, in bytes (the key of HMAC-SHA256 and AES-256). */
export const MIN_SECRET_BYTES = 32;

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** One derived key per secret and purpose; derivation is cheap but runs on every request otherwise. */
const keys = new Map<string, Buffer>();

function keyFor(secret: string, purpose: TokenPurpose): Buffer {
  const id = `${purpose}\n${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'sahifa', `sahifa ${purpose} token v1`, 32));
    keys.set(id, key);
  }
  return key;
}

/**
 * Seals a claim into an opaque token for a URL: AES-256-GCM with a key
 * derived from the site's secret (`SAHIFA_SECRET`) for this purpose,
 * base64url. Nobody without the secret can read the address inside it or
 * make or alter a token that opens.
 *
 * @param secret  The signing secret.
 * @param purpose What the token is for.
 * @param claim   What it carries (JSON).
 */
export function sealToken(secret: string, purpose: TokenPurpose, claim: object): string {
  const iv = pooledRandomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(claim), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/**
 * Opens a token made by {@link sealToken}: the claim, or `undefined` for a
 * token that is forged, altered, truncated, or made for another purpose.
 *
 * @param secret  The signing secret.
 * @param purpose What the token must be for.
 * @param token   The token from the URL.
 */
export function openToken(secret: string, purpose: TokenPurpose, token: string): Record<string, unknown> | undefined {
  if (!/^[\w-]{40,2000}$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES + 2) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    const claim: unknown = JSON.parse(text);
    return claim && typeof claim === 'object' && !Array.isArray(claim) ? (claim as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The opaque token of an unsubscribe link.
 *
 * @param secret The signing secret.
 * @param claim  Address and list.
 */
export function unsubscribeClaimToken(secret: string, claim: UnsubscribeClaim): string {
  return sealToken(secret, 'unsubscribe', { a: claim.address, l: claim.list });
}

/**
 * The claim of an unsubscribe token, or `undefined` when it is not genuine.
 *
 * @param secret The signing secret.
 * @param token  The token.
 */
export function readUnsubscribeToken(secret: string, token: string): UnsubscribeClaim | undefined {
  const claim = openToken(secret, 'unsubscribe', token);
  return typeof claim?.a === 'string' && typeof claim.l === 'string' ? { address: claim.a, list: claim.l } : undefined;
}

/**
 * The opaque token of a confirmation link.
 *
 * @param secret The signing secret.
 * @param claim  Address, nonce and expiry.
 */
export function confirmToken(secret: string, claim: ConfirmClaim): string {
  return sealToken(secret, 'confirm', { a: claim.address, n: claim.nonce, x: claim.expires });
}

/**
 * The claim of a confirmation token, or `undefined` when it is not genuine
 * (expiry is the caller's to check, so an expired link can say so).
 *
 * @param secret The signing secret.
 * @param token  The token.
 */
export function readConfirmToken(secret: string, token: string): ConfirmClaim | undefined {
  const claim = openToken(secret, 'confirm', token);
  return typeof claim?.a === 'string' && typeof claim.n === 'string' && typeof claim.x === 'number' ? { address: claim.a, nonce: claim.n, expires: claim.x } : undefined;
}

/**
 * Refuses a secret too short to sign with: one line naming the variable.
 *
 * @param secret The value of `SAHIFA_SECRET`.
 * @throws {Error} when it is missing or shorter than {@link MIN_SECRET_BYTES} bytes.
 */
export function checkSecret(secret: string | undefined): string {
  if (!secret) throw new Error(`set SAHIFA_SECRET in the environment: at least ${MIN_SECRET_BYTES} random bytes, e.g. the output of "openssl rand -base64 48"; keep it secret and the same as for sahifa send`);
  const bytes = Buffer.byteLength(secret);
  if (bytes < MIN_SECRET_BYTES) throw new Error(`SAHIFA_SECRET is ${bytes} bytes long: it needs at least ${MIN_SECRET_BYTES}, e.g. the output of "openssl rand -base64 48" (links sent with the old secret stop working)`);
  return secret;
}
