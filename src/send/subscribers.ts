import type { SahifaDatabase } from './database.js';

/** Where a subscriber stands. */
export type SubscriberState = 'active' | 'unsubscribed' | 'bounced';

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

/**
 * Adds a subscriber, or merges into the one with the same (normalised)
 * address: a given name or language replaces the stored one. The state of an
 * existing subscriber is kept unless `state` is given, so an import never
 * resubscribes someone who unsubscribed.
 *
 * @param db      The database.
 * @param address A normalised address (see `normalizeAddress`).
 * @param details Name, language and state to set.
 */
export function upsertSubscriber(
  db: SahifaDatabase,
  address: string,
  details: { name?: string; lang?: string; state?: SubscriberState } = {},
): UpsertResult {
  const existing = findSubscriber(db, address);
  if (!existing) {
    db.prepare('INSERT INTO subscribers (email, name, lang, state) VALUES (@email, @name, @lang, @state)').run({
      email: address,
      name: details.name ?? null,
      lang: details.lang ?? null,
      state: details.state ?? 'active',
    });
    return 'added';
  }
  const next = {
    name: details.name ?? existing.name,
    lang: details.lang ?? existing.lang,
    state: details.state ?? existing.state,
  };
  if (next.name === existing.name && next.lang === existing.lang && next.state === existing.state) return 'unchanged';
  db.prepare(
    "UPDATE subscribers SET name = @name, lang = @lang, state = @state, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = @id",
  ).run({ ...next, id: existing.id });
  return 'updated';
}

/**
 * The subscriber with this normalised address, if any (compared without
 * regard to the case of ASCII letters).
 *
 * @param db      The database.
 * @param address A normalised address.
 */
export function findSubscriber(db: SahifaDatabase, address: string): Subscriber | undefined {
  return db.prepare('SELECT * FROM subscribers WHERE email = ? COLLATE NOCASE').get(address) as Subscriber | undefined;
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
  return db.prepare('DELETE FROM subscribers WHERE email = ? COLLATE NOCASE').run(address).changes > 0;
}

/**
 * Every subscriber, in the order they subscribed.
 *
 * @param db The database.
 */
export function listSubscribers(db: SahifaDatabase): Subscriber[] {
  return db.prepare('SELECT * FROM subscribers ORDER BY id').all() as Subscriber[];
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
      .prepare("UPDATE subscribers SET state = @state, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE email = @email COLLATE NOCASE")
      .run({ state, email: address }).changes > 0
  );
}
