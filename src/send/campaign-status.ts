import type { CampaignRow } from './campaign.js';
import type { SahifaDatabase } from './database.js';

/** Where a campaign stands. */
export interface CampaignStatus {
  slug: string;
  subject: string;
  createdAt: string;
  completedAt: string | null;
  /** Deliveries by state. */
  counts: Record<string, number>;
  /** Failed and unknown deliveries, with the server's last reply. */
  problems: Array<{ email: string; state: string; attempts: number; response: string | null }>;
}

/**
 * Where a post's campaign stands, or `undefined` when it was never sent.
 *
 * @param db   The database.
 * @param slug The post's slug.
 */
export function campaignStatus(db: SahifaDatabase, slug: string): CampaignStatus | undefined {
  const campaign = db.prepare('SELECT * FROM campaigns WHERE slug = ?').get(slug) as (CampaignRow & { created_at: string }) | undefined;
  if (!campaign) return undefined;
  const counts = Object.fromEntries(
    (db.prepare('SELECT state, COUNT(*) AS count FROM deliveries WHERE campaign_id = ? GROUP BY state ORDER BY state').all(campaign.id) as Array<{ state: string; count: number }>).map(
      (row) => [row.state, row.count],
    ),
  );
  const problems = db
    .prepare(
      "SELECT s.email AS email, d.state AS state, d.attempts AS attempts, d.last_response AS response FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.campaign_id = ? AND d.state IN ('failed', 'unknown', 'retry') ORDER BY s.email",
    )
    .all(campaign.id) as CampaignStatus['problems'];
  return { slug, subject: campaign.subject, createdAt: campaign.created_at, completedAt: campaign.completed_at, counts, problems };
}

/**
 * Puts the `unknown` deliveries of a campaign back in the queue, for
 * `--retry-unknown`: after checking that they did not arrive, or accepting
 * that some may arrive twice.
 *
 * @param db   The database.
 * @param slug The post's slug.
 * @returns How many were queued again.
 */
export function requeueUnknown(db: SahifaDatabase, slug: string): number {
  return db
    .prepare("UPDATE deliveries SET state = 'pending' WHERE state = 'unknown' AND campaign_id = (SELECT id FROM campaigns WHERE slug = ?)")
    .run(slug).changes;
}
