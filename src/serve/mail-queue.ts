import type { MailTransport } from '../send/transport.js';
import type { MailKit, ServiceEmail } from './mail.js';
import { renderServiceEmail } from './mail.js';

/** Emails sent in the background, and a way to wait for them. */
export interface MailQueue {
  /** Renders and sends one email; a failure is reported, never thrown. */
  deliver(email: ServiceEmail): void;
  /** Resolves once every email handed to {@link MailQueue.deliver} so far was sent or failed. */
  settled(): Promise<void>;
}

/**
 * A queue of the service's emails. Requests are answered before their
 * email is sent, so an answer takes as long for an active subscriber (no
 * email) as for a new one, and a slow SMTP server never holds a reader's
 * page.
 *
 * @param kit       What the emails are rendered with.
 * @param transport The SMTP transport shared with `send`'s settings.
 * @param onFailure Reports a failure (a line without the address).
 */
export function mailQueue(kit: MailKit, transport: MailTransport, onFailure: (kind: string, reason: string) => void): MailQueue {
  const pending = new Set<Promise<void>>();
  return {
    deliver(email) {
      const job = (async () => {
        const outcome = await transport.send(await renderServiceEmail(kit, email));
        if (outcome.status !== 'sent') onFailure(email.kind, `${outcome.status}: ${outcome.response}`);
      })()
        .catch((error: unknown) => onFailure(email.kind, error instanceof Error ? error.message : String(error)))
        .finally(() => pending.delete(job));
      pending.add(job);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
