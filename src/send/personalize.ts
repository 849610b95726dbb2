import type { SiteConfig } from '../config/schema.js';
import type { OutgoingMessage } from './transport.js';
import { unsubscribeUrl } from './unsubscribe.js';

/** A campaign's content: the same for every recipient until the placeholders are filled. */
export interface CampaignContent {
  slug: string;
  subject: string;
  html: string;
  text: string;
}

/** Who sends, for which list, and how recipients leave it. */
export interface SenderSettings {
  /** `Name <address>`. */
  from: string;
  replyTo?: string;
  /** The list's id (`newsletter.example.org`). */
  listId: string;
  /** The list's name, shown by clients beside List-Id. */
  listName: string;
  /** HTTPS page that unsubscribes. */
  unsubscribeBase: string;
  /** Address that unsubscribes by mail. */
  unsubscribeMailto: string;
  /** Secret for unsubscribe tokens (`SAHIFA_SECRET`). */
  secret: string;
  /** The placeholders in the content. */
  placeholders: { unsubscribeUrl: string; name: string; email: string };
}

/** The recipient of one message. */
export interface Recipient {
  email: string;
  name: string | null;
}

/**
 * The list's id for List-Id and unsubscribe tokens: `email.listId`, else
 * `newsletter.<host of the site's url>`.
 *
 * @param config The site configuration.
 */
export function listIdOf(config: Pick<SiteConfig, 'email' | 'url'>): string {
  return config.email?.listId ?? `newsletter.${new URL(config.url).hostname}`;
}

/**
 * The domain of the sender's address (`Name <news@example.org>` →
 * `example.org`), which ends Message-IDs.
 *
 * @param from The From header value.
 */
export function senderDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'sahifa.invalid';
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

function fillAll(content: string, values: ReadonlyArray<[string, string]>): string {
  return values.reduce((result, [placeholder, value]) => result.split(placeholder).join(value), content);
}

/**
 * One recipient's message: the placeholders filled (HTML-escaped in the HTML
 * part), their own signed unsubscribe URL, and the list headers that Gmail
 * and Yahoo require of bulk mail: List-Id, List-Unsubscribe with the HTTPS
 * URL and a mailto, and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
 * (RFC 8058).
 *
 * @param content   The campaign's content.
 * @param sender    Sender and list settings.
 * @param recipient Who gets it.
 * @param messageId The Message-ID, stable across attempts.
 */
export function personalize(content: CampaignContent, sender: SenderSettings, recipient: Recipient, messageId: string): OutgoingMessage {
  const unsubscribe = unsubscribeUrl(sender.unsubscribeBase, sender.secret, recipient.email, sender.listId);
  const values = (escape: (value: string) => string): Array<[string, string]> => [
    [sender.placeholders.unsubscribeUrl, escape(unsubscribe)],
    [sender.placeholders.email, escape(recipient.email)],
    [sender.placeholders.name, escape(recipient.name ?? '')],
  ];
  return {
    from: sender.from,
    ...(sender.replyTo ? { replyTo: sender.replyTo } : {}),
    to: recipient.name ? `"${recipient.name.replace(/["\\\r\n]/g, '')}" <${recipient.email}>` : recipient.email,
    subject: content.subject,
    html: fillAll(content.html, values(escapeHtml)),
    text: fillAll(content.text, values((value) => value)),
    messageId,
    list: {
      id: { url: sender.listId, comment: sender.listName },
      unsubscribe: [[{ url: unsubscribe }, { url: `mailto:${sender.unsubscribeMailto}?subject=unsubscribe` }]],
    },
    headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
