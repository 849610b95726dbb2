import { addressKey } from './address.js';
import type { SahifaDatabase } from './database.js';
import { mostRestrictive, type Subscriber } from './subscribers.js';

type Row = Subscriber;

/** How far a delivery got; of two deliveries of one campaign to one person, the further one is kept. */
const DELIVERY_PROGRESS = ['skipped', 'pending', 'retry', 'failed', 'sending', 'unknown', 'sent'];

/**
 * Fills `subscribers.email_key` (see `addressKey`) and merges the rows that
 * share a key into the oldest of them: the most restrictive state wins
 * (nobody unsubscribed or bounced becomes active), a missing name or
 * language is taken from the others, the earliest `created_at` is kept, and
 * their deliveries move over (where both got one campaign, the delivery
 * that got further stays, so nobody is sent it again). Runs inside the
 * schema migration's transaction.
 *
 * @param db The database, with an `email_key` column.
 * @returns How many rows were merged into others.
 */
export function mergeSameAddresses(db: SahifaDatabase): number {
  const rows = db.prepare('SELECT id, email, name, lang, state, created_at FROM subscribers ORDER BY id').all() as Row[];
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = addressKey(row.email.normalize('NFC'));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const setKey = db.prepare('UPDATE subscribers SET email_key = @key, email = @email WHERE id = @id');
  let merged = 0;
  for (const [key, [keep, ...others]] of groups) {
    if (!keep) continue;
    const into = { ...keep };
    for (const other of others) {
      into.state = mostRestrictive(into.state, other.state);
      into.name ??= other.name;
      into.lang ??= other.lang;
      if (other.created_at < into.created_at) into.created_at = other.created_at;
      moveDeliveries(db, other.id, keep.id);
      db.prepare('DELETE FROM subscribers WHERE id = ?').run(other.id);
      merged += 1;
    }
    if (others.length) {
      db.prepare(
        "UPDATE subscribers SET state = @state, name = @name, lang = @lang, created_at = @created_at, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = @id",
      ).run(into);
    }
    setKey.run({ key, email: keep.email.normalize('NFC'), id: keep.id });
  }
  return merged;
}

/** Moves one subscriber's deliveries to another, keeping the further one of each campaign. */
function moveDeliveries(db: SahifaDatabase, from: number, to: number): void {
  const deliveries = db.prepare('SELECT campaign_id, state FROM deliveries WHERE subscriber_id = ?').all(from) as Array<{ campaign_id: number; state: string }>;
  for (const delivery of deliveries) {
    const existing = db.prepare('SELECT state FROM deliveries WHERE campaign_id = ? AND subscriber_id = ?').get(delivery.campaign_id, to) as { state: string } | undefined;
    if (existing && DELIVERY_PROGRESS.indexOf(existing.state) >= DELIVERY_PROGRESS.indexOf(delivery.state)) continue;
    if (existing) db.prepare('DELETE FROM deliveries WHERE campaign_id = ? AND subscriber_id = ?').run(delivery.campaign_id, to);
    db.prepare('UPDATE deliveries SET subscriber_id = ? WHERE campaign_id = ? AND subscriber_id = ?').run(to, delivery.campaign_id, from);
  }
}
