import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/send/database.js';
import { claimDue, emailOf, enqueueConfirmation, enqueueEmail } from '../../src/serve/outbox/store.js';
import { readConfirmToken } from '../../src/serve/tokens.js';

const links = { secret: 'a-secret-that-is-long-enough-to-seal-tokens', publicUrl: 'https://example.org/newsletter/' };

describe('issue 11: confirmation links are sealed by the outbox when the email is sent', () => {
  it('keeps the nonce and expiry in the row, and makes a link whose token opens to the recipient, that nonce and that expiry', async () => {
    const db = openDatabase(join(await mkdtemp(join(tmpdir(), 'sahifa-outbox-links-')), 'db.sqlite'));
    try {
      enqueueConfirmation(db, 'reader@example.com', 'n0nce_-AZ', 1_900_000_000, 'example.org');
      expect(db.prepare('SELECT link FROM outbox').pluck().get()).toBe('seal:n0nce_-AZ.1900000000');
      const email = emailOf(claimDue(db, Date.now())!, links);
      expect(email.kind).toBe('confirm');
      const url = new URL(email.kind === 'confirm' ? email.confirmUrl! : '');
      expect(url.origin + url.pathname).toBe('https://example.org/newsletter/confirm');
      expect(readConfirmToken(links.secret, url.searchParams.get('token')!)).toEqual({ address: 'reader@example.com', nonce: 'n0nce_-AZ', expires: 1_900_000_000 });
      // Another secret cannot open it.
      expect(readConfirmToken('another-secret-that-is-long-enough-to-seal', url.searchParams.get('token')!)).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('sends a whole link kept by an earlier version as it is, and a welcome email with its unsubscribe link and list', async () => {
    const db = openDatabase(join(await mkdtemp(join(tmpdir(), 'sahifa-outbox-links-')), 'db.sqlite'));
    try {
      enqueueEmail(db, { kind: 'confirm', to: 'old@example.com', confirmUrl: 'https://example.org/newsletter/confirm?token=old' }, 'example.org');
      enqueueEmail(db, { kind: 'welcome', to: 'new@example.com', unsubscribeUrl: 'https://example.org/newsletter/unsubscribe?token=u', listId: 'list.example.org' }, 'example.org');
      // A link that only looks sealed (a hostile or damaged row) is not taken for one.
      db.prepare("INSERT INTO outbox (kind, recipient, link, message_id) VALUES ('confirm', 'odd@example.com', 'seal:a.b.c', '<x@example.org>')").run();
      const now = Date.now();
      expect(emailOf(claimDue(db, now)!, links)).toEqual({ kind: 'confirm', to: 'old@example.com', confirmUrl: 'https://example.org/newsletter/confirm?token=old' });
      expect(emailOf(claimDue(db, now)!, links)).toEqual({ kind: 'welcome', to: 'new@example.com', unsubscribeUrl: 'https://example.org/newsletter/unsubscribe?token=u', listId: 'list.example.org' });
      expect(emailOf(claimDue(db, now)!, links)).toEqual({ kind: 'confirm', to: 'odd@example.com', confirmUrl: 'seal:a.b.c' });
    } finally {
      db.close();
    }
  });
});

describe('issue 11: consent nonces sort by time and stay unguessable', () => {
  it('puts the time first (each nonce sorts after the one before) and 16 random bytes after it', async () => {
    const { timeOrderedNonce } = await import('../../src/serve/subscriptions.js');
    const before = Date.now();
    const nonces = Array.from({ length: 2000 }, () => timeOrderedNonce());
    const after = Date.now();
    expect(new Set(nonces).size).toBe(nonces.length);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{12}[\w-]{22}$/);
    // The time part never goes back, so the index on nonce grows at its end.
    const times = nonces.map((nonce) => nonce.slice(0, 12));
    expect([...times].sort()).toEqual(times);
    expect(Number.parseInt(times[0]!, 16)).toBeGreaterThanOrEqual(before);
    expect(Number.parseInt(times.at(-1)!, 16)).toBeLessThanOrEqual(after);
  });
});
