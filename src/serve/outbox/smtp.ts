import type { SiteConfig } from '../../config/schema.js';
import { createSmtpTransport } from '../../send/smtp-transport.js';
import type { MailTransport } from '../../send/transport.js';

/**
 * The SMTP transport of the service's emails: `send.timeouts` of the
 * config, `connections` at once.
 *
 * @param config      The site configuration.
 * @param url         `SAHIFA_SMTP_URL`.
 * @param connections Connections at once.
 */
export function serviceTransport(config: SiteConfig, url: string, connections: number): MailTransport {
  const { connection, greeting, socket, data } = config.send.timeouts;
  return createSmtpTransport({ url, connections, timeouts: { connection: connection * 1000, greeting: greeting * 1000, socket: socket * 1000, data: data * 1000 } });
}
