import { addressKey } from '../send/address.js';
import type { SahifaDatabase } from '../send/database.js';
import { pooledRandomBytes } from './random-pool.js';
import { statement } from './statements.js';

/** A subscriber's state as `sahifa serve` sees it: the send states plus `pending` (asked, not yet confirmed). */
export type ServiceState = 'pending' | 'active' | 'unsubscribed' | 'bounced';

/** What a subscribe request leads to. */
export type SubscribeOutcome =
  /** A confirmation email is due, with this nonce in its link. */
  | { send: true; nonce: string }
  /** Already active: no second email. */
  | { send: false };

/** The consent a subscribe request records. */
export interface ConsentDetails {
  /** The page the form was on, if known. */
  page?: string;
  /** The sentence the reader agreed to, as the form showed it. */
  wording: string;
  /** Its language. */
  lang: string;
}

/**
 * Records a subscribe request in one transaction: a new address becomes a
 * `pending` subscriber; a pending, unsubscribed or bounced one keeps its
 * state until it confirms; each gets a consent record (when, which page,
 * which wording) with a fresh nonce for its confirmation link. An active
 * subscriber is left alone and gets no email.
 *
 * @param db      The database.
 * @param address A normalised address.
 * @param consent Page, wording and language.
 */
export function requestSubscription(db: SahifaDatabase, address: string, consent: ConsentDetails): SubscribeOutcome {
  const key = addressKey(address);
  const existing = statement(db, 'SELECT id, state FROM subscribers WHERE email_key = ?').get(key) as { id: number; state: ServiceState } | undefined;
  if (existing?.state === 'active') return { send: false };
  const id =
    existing?.id ??
    Number(statement(db, "INSERT INTO subscribers (email, email_key, lang, state) VALUES (@email, @key, @lang, 'pending')").run({ email: address, key, lang: consent.lang }).lastInsertRowid);
  const nonce = timeOrderedNonce();
  statement(db, 'INSERT INTO consents (subscriber_id, page, wording_id, lang, nonce) VALUES (@id, @page, @wordingId, @lang, @nonce)').run({
    id,
    page: consent.page ?? null,
    wordingId: wordingId(db, consent.wording),
    lang: consent.lang,
    nonce,
  });
  return { send: true, nonce };
}

/**
 * The id of a consent wording in `wordings`, added the first time it is
 * agreed to: every sign-up of a site agrees to the same sentence, so a
 * consent row points at it rather than carrying it (looked up each time, a
 * read of a one-page table, rather than cached: an id cached from a
 * transaction that then fails would point at nothing).
 *
 * @param db      The database (inside the caller's transaction).
 * @param wording The sentence.
 */
function wordingId(db: SahifaDatabase, wording: string): number {
  const known = statement(db, 'SELECT id FROM wordings WHERE text = ?').pluck().get(wording) as number | undefined;
  return known ?? Number(statement(db, 'INSERT INTO wordings (text) VALUES (?)').run(wording).lastInsertRowid);
}

/**
 * A consent record's nonce: the time in milliseconds (12 hex digits) then
 * 16 random bytes (base64url). The random part makes it unguessable (it
 * travels only inside the sealed token anyway); the time in front makes
 * each new nonce sort after the last, so the UNIQUE index on `nonce` grows
 * at its end: random nonces dirtied a different index page per request, and
 * each dirty page is 4 KiB more for the commit to write (about 15 µs a
 * request measured alone).
 */
export function timeOrderedNonce(): string {
  return `${Date.now().toString(16).padStart(12, '0')}${pooledRandomBytes(16).toString('base64url')}`;
}

/** What confirming a link did. */
export type ConfirmOutcome = 'confirmed' | 'already' | 'invalid';

/**
 * Confirms the consent record with this nonce: its subscriber becomes
 * `active`. A second confirmation of the same record while the subscriber
 * is active is `already` (harmless); a record that is unknown, belongs to
 * another address, or was confirmed before the subscriber left again is
 * `invalid`, so an old link cannot undo an unsubscribe.
 *
 * @param db      The database.
 * @param address The address the link was made for.
 * @param nonce   The link's nonce.
 */
export function confirmSubscription(db: SahifaDatabase, address: string, nonce: string): ConfirmOutcome {
  const row = statement(
    db,
    'SELECT c.id AS consent, c.confirmed_at AS confirmedAt, s.id AS subscriber, s.state AS state FROM consents c JOIN subscribers s ON s.id = c.subscriber_id WHERE c.nonce = @nonce AND s.email_key = @key',
  ).get({ nonce, key: addressKey(address) }) as { consent: number; confirmedAt: string | null; subscriber: number; state: ServiceState } | undefined;
  if (!row) return 'invalid';
  if (row.confirmedAt) return row.state === 'active' ? 'already' : 'invalid';
  statement(db, "UPDATE consents SET confirmed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(row.consent);
  statement(db, "UPDATE subscribers SET state = 'active', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(row.subscriber);
  return 'confirmed';
}

/**
 * What confirming would do, without doing it (for the page a GET shows):
 * `confirmed` when the record is open to confirm.
 *
 * @param db      The database.
 * @param address The address the link was made for.
 * @param nonce   The link's nonce.
 */
export function peekConfirmation(db: SahifaDatabase, address: string, nonce: string): ConfirmOutcome {
  const row = statement(db, 'SELECT c.confirmed_at AS confirmedAt, s.state AS state FROM consents c JOIN subscribers s ON s.id = c.subscriber_id WHERE c.nonce = @nonce AND s.email_key = @key').get({
    nonce,
    key: addressKey(address),
  }) as { confirmedAt: string | null; state: ServiceState } | undefined;
  if (!row) return 'invalid';
  if (row.confirmedAt) return row.state === 'active' ? 'already' : 'invalid';
  return 'confirmed';
}

/**
 * A subscriber's state by address, or `undefined` for an unknown address.
 *
 * @param db      The database.
 * @param address A normalised address.
 */
export function stateOf(db: SahifaDatabase, address: string): ServiceState | undefined {
  return (statement(db, 'SELECT state FROM subscribers WHERE email_key = ?').pluck().get(addressKey(address)) as ServiceState | undefined) ?? undefined;
}

/**
 * Unsubscribes an active or pending subscriber; any other state is kept.
 *
 * @param db      The database.
 * @param address A normalised address.
 */
export function unsubscribe(db: SahifaDatabase, address: string): void {
  statement(db, "UPDATE subscribers SET state = 'unsubscribed', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE email_key = ? AND state IN ('active', 'pending')").run(addressKey(address));
}
