import type { SiteConfig } from '../config/schema.js';
import type { SahifaDatabase } from '../send/database.js';
import type { MailKit } from './mail.js';
import type { PageKit } from './pages.js';
import type { SubscribeLimits } from './rate-limits.js';
import type { SignUpWriter } from './writer/sign-up.js';

/** What every handler of the service shares. */
export interface ServiceContext {
  config: SiteConfig;
  db: SahifaDatabase;
  /** `SAHIFA_SECRET`. */
  secret: string;
  /** Pages and JSON answers. */
  pages: PageKit;
  /** The confirmation and welcome emails. */
  mail: MailKit;
  limits: SubscribeLimits;
  /** Origins a browser may post the subscribe form from (the site's and the service's). */
  origins: ReadonlySet<string>;
  /** The list's id (unsubscribe tokens). */
  listId: string;
  /** The service's public address, ending in `/` (confirmation links). */
  publicUrl: string;
  /** The public unsubscribe address (`email.unsubscribeUrl`, else `<publicUrl>unsubscribe`). */
  unsubscribeBase: string;
  /** The largest body accepted, in bytes. */
  maxBodyBytes: number;
  /** The subscribe requests' writes, committed together when they arrive together (on a connection of their own when the database is a file). */
  signUps: SignUpWriter;
  /** Milliseconds a request waits for a busy database before a 503. */
  patience: number;
  /** Seconds a 503 asks the client to wait. */
  retryAfter: number;
  /** Whether a loopback peer's `X-Forwarded-For` names the client. */
  trustProxy: boolean;
  /** The sender's domain (Message-IDs of the outbox). */
  senderDomain: string;
  /**
   * Tells the outbox's drainer that an email was committed to it. The
   * answer never waits for SMTP, so its timing cannot tell who is subscribed.
   */
  wakeOutbox(): void;
  /** Reports a busy database (for a log line). */
  onBusy?: (attempt: number, waited: number) => void;
}
