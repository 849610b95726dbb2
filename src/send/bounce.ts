/**
 * The SMTP commands whose reply is about one recipient: `RCPT TO` (the
 * usual place a server says a mailbox does not exist) and the reply after
 * the message data. A reply to `MAIL FROM` is about the sender, never a
 * reason to drop a reader.
 */
const RECIPIENT_COMMANDS = new Set(['RCPT TO', 'DATA']);

/**
 * Enhanced status details of class 5, subject 1 (addressing, RFC 3463) that
 * are about the sender, not the recipient: 5.1.7 (bad sender's mailbox
 * syntax) and 5.1.8 (bad sender's system address). Marking readers bounced
 * for these would empty the list over a mistake in our own `email.from`.
 */
const SENDER_DETAILS = new Set([7, 8]);

/**
 * Whether an SMTP reply says, for good, that the recipient's mailbox does not
 * exist: a 5xx basic code followed by an enhanced status code `5.1.x`
 * (5.1.1 no such mailbox, 5.1.2 no such domain, 5.1.3 bad address syntax,
 * 5.1.6 mailbox moved, 5.1.10 null MX…), given to a command about the
 * recipient. Only the start of the first line counts: a server's free text
 * mentioning "5.1.1" later proves nothing, and a 4xx reply is never final.
 *
 * @param reply   The server's reply, e.g. `550 5.1.1 <x@example.com>: Recipient address rejected`.
 * @param command The command it answered, as nodemailer records it (`RCPT TO`, `DATA`, `MAIL FROM`…).
 */
export function isNoSuchMailbox(reply: string, command: string | undefined): boolean {
  if (command === undefined || !RECIPIENT_COMMANDS.has(command.toUpperCase())) return false;
  const match = /^5\d\d[ -]5\.1\.(\d{1,3})(?=\s|$)/.exec(reply);
  return match !== null && !SENDER_DETAILS.has(Number(match[1]));
}
