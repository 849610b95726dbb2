import { addressKey } from './address.js';
import type { SahifaDatabase } from './database.js';

/** Where a subscriber stands. */
export type SubscriberState = 'active' | 'unsubscribed' | 'bounced';

/** Every state, from the least restrictive to the most. */
export const SUBSCRIBER_STATES: readonly SubscriberState[] = ['active', 'bounced', 'unsubscribed'];

/**
 * Of two states, the one that sends less mail: `unsubscribed` (the person's
 * own wish) over `bounced` over `active`.
 *
 * @param a One state.
 * @param b Another.
 */
export function mostRestrictive(a: SubscriberState, b: SubscriberState): SubscriberState {
  return SUBSCRIBER_STATES.indexOf(a) >= SUBSCRIBER_STATES.indexOf(b) ? a : b;
}

/** The columns of a {@link Subscriber}. */
const COLUMNS = 'id, email, name, lang, state, created_at';

/** A subscriber as stored. */
export interface Subscriber {
  id: number;
  email: string;
  name: string | null;
  lang: string | null;
  state: SubscriberState;
  created_at: string;
}

/** What {@link upsertSubscriber} did. */
export type UpsertResult = 'added' | 'updated' | 'unchanged';

/** What {@link upsertSubscriber} sets. */
export interface SubscriberDetails {
  name?: string;
  lang?: string;
  /** The state; on an existing subscriber only a more restrictive one applies, unless `reactivate`. */
  state?: SubscriberState;
  /** Set `state` even when it is less restrictive (`subscribers add`: the person asked again). */
  reactivate?: boolean;
  /** When a new subscriber subscribed (ISO 8601; restoring an export), instead of now. */
  createdAt?: string;
}

/**
 * Adds a subscriber, or merges into the one with the same address (see
 * `addressKey`): a given name or language replaces the stored one. An
 * existing subscriber's state only becomes more restrictive, unless
 * `reactivate` is set, so an import never resubscribes someone who
 * unsubscribed or bounced. Names are stored without outer white space.
 *
 * @param db      The database.
 * @param address A normalised address (see `normalizeAddress`).
 * @param details Name, language and state to set.
 */
export function upsertSubscriber(db: SahifaDatabase, address: string, given: SubscriberDetails = {}): UpsertResult {
  // A name's outer white space means nothing and would not survive a CSV round trip.
  const details = { ...given, name: given.name?.trim() || undefined };
  const existing = findSubscriber(db, address);
  if (!existing) {
    db.prepare(
      "INSERT INTO subscribers (email, email_key, name, lang, state, created_at) VALUES (@email, @key, @name, @lang, @state, coalesce(@createdAt, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))",
    ).run({
      email: address,
      key: addressKey(address),
      name: details.name ?? null,
      lang: details.lang ?? null,
      state: details.state ?? 'active',
      createdAt: details.createdAt ?? null,
    });
    return 'added';
  }
  const wanted = details.state ?? existing.state;
  const next = {
    name: details.name ?? existing.name,
    lang: details.lang ?? existing.lang,
    state: details.reactivate ? wanted : mostRestrictive(existing.state, wanted),
  };
  if (next.name === existing.name && next.lang === existing.lang && next.state === existing.state) return 'unchanged';
  db.prepare(
    "UPDATE subscribers SET name = @name, lang = @lang, state = @state, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = @id",
  ).run({ ...next, id: existing.id });
  return 'updated';
}

/**
 * The subscriber with this address, if any (compared by `addressKey`: Unicode
 * NFC, case folded beyond ASCII).
 *
 * @param db      The database.
 * @param address A normalised address.
 */
export function findSubscriber(db: SahifaDatabase, address: string): Subscriber | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM subscribers WHERE email_key = ?`).get(addressKey(address)) as Subscriber | undefined;
}

/**
 * Deletes a subscriber and their delivery records (for a request to be
 * forgotten). To stop mail but keep the record, set the state instead.
 *
 * @param db      The database.
 * @param address A normalised address.
 * @returns Whether there was such a subscriber.
 */
export function removeSubscriber(db: SahifaDatabase, address: string): boolean {
  return db.prepare('DELETE FROM subscribers WHERE email_key = ?').run(addressKey(address)).changes > 0;
}

/**
 * Every subscriber, in the order they subscribed.
 *
 * @param db The database.
 */
export function listSubscribers(db: SahifaDatabase): Subscriber[] {
  return db.prepare(`SELECT ${COLUMNS} FROM subscribers ORDER BY id`).all() as Subscriber[];
}

/**
 * Sets a subscriber's state (after an unsubscribe request or a bounce).
 *
 * @param db      The database.
 * @param address A normalised address.
 * @param state   The new state.
 * @returns Whether there was such a subscriber.
 */
export function setSubscriberState(db: SahifaDatabase, address: string, state: SubscriberState): boolean {
  return (
    db
      .prepare("UPDATE subscribers SET state = @state, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE email_key = @key")
      .run({ state, key: addressKey(address) }).changes > 0
  );
}
