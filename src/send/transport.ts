/** One message to one recipient, ready to go. */
export interface OutgoingMessage {
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** `<…@domain>`; the same on every attempt of one delivery, so receivers can drop a repeat. */
  messageId: string;
  /** The list headers (List-Id, List-Unsubscribe). */
  list?: {
    id: { url: string; comment: string };
    /** One List-Unsubscribe header holding every way out (a nested array, in nodemailer's terms). */
    unsubscribe: Array<Array<{ url: string; comment?: string }>>;
  };
  /** Extra headers, e.g. `List-Unsubscribe-Post`. */
  headers?: Record<string, string>;
  /**
   * How the HTML and text parts are encoded (nodemailer's `textEncoding`);
   * unset, nodemailer scans each part to choose.
   */
  textEncoding?: 'base64' | 'quoted-printable';
  /**
   * The shared part of the MIME boundaries (nodemailer's `baseBoundary`);
   * unset, nodemailer draws random bytes for each part.
   */
  baseBoundary?: string;
  /**
   * The whole message, already composed (CRLF lines): sent as it is, the
   * other fields then giving only the envelope (`from`, `to`). Its headers
   * and parts must say what the other fields say (see
   * src/serve/mime-stencil.ts, which composes it so).
   */
  raw?: string;
}

/**
 * How one delivery attempt ended:
 * - `sent`: the server accepted it;
 * - `transient`: it was not accepted but may be later (a 4xx reply, no connection): retry with backoff;
 * - `permanent`: refused for good (a 5xx reply): record and do not retry; `noSuchMailbox` when
 *   the reply says the address does not exist (see `isNoSuchMailbox`);
 * - `unknown`: the connection was lost (or no reply came in time) after the whole message was
 *   handed over and before the server answered: it may have arrived, so it is not retried on its own.
 */
export type DeliveryOutcome =
  | { status: 'sent'; response: string }
  | {
      status: 'permanent';
      response: string;
      /** The recipient's mailbox does not exist (SMTP `5.1.x`): the subscriber is marked `bounced`. */
      noSuchMailbox?: boolean;
    }
  | { status: 'transient' | 'unknown'; response: string };

/**
 * What sends mail: SMTP first; an HTTP email API (Amazon SES, Postmark,
 * Mailgun) can implement the same two methods for lists too large for one
 * connection pool.
 */
export interface MailTransport {
  /**
   * Sends one message. Problems with this message come back as an outcome;
   * a transport that cannot send at all (server unreachable, login refused) throws.
   *
   * @param message      The message.
   * @param onHandedOver Called synchronously once the server has the whole message but not yet
   *   the mark that completes it (SMTP's final dot): a record committed here is durable before
   *   the server can accept the message. If it throws, the message is abandoned unfinished and
   *   `send` rejects with that error.
   */
  send(message: OutgoingMessage, onHandedOver?: () => void): Promise<DeliveryOutcome>;
  /** Closes connections; waits for nothing else. */
  close(): Promise<void>;
}
