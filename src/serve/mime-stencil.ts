/**
 * A service email's whole MIME message from a stencil: nodemailer composes
 * one message of a kind with markers in place of what differs between two
 * emails (the recipient, the Message-ID, the date, the MIME boundary and
 * the two bodies), and each email fills them in. Composing through
 * nodemailer cost about a sixth of each confirmation email's CPU in the
 * outbox's thread (a MIME tree, a stream pipeline per part, header
 * encoding, random bytes), for a message whose every header but four (To,
 * Message-ID, Date, and Content-Type through its boundary) is the same
 * each time. A stencil is kept only when, for probe values, it
 * gives exactly the bytes nodemailer gives; an email whose values the
 * stencil cannot carry (an address nodemailer would rewrite, a long header
 * value) is composed by nodemailer. The stencil base64-encodes both parts
 * always, where nodemailer left to choose writes a short ASCII part as it
 * is (7bit): the same message to a reader's mail program.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { randomBytes } from 'node:crypto';
import type { OutgoingMessage } from '../send/transport.js';

/** What differs between two messages of one kind. */
type MimeSlot = 'to' | 'messageId' | 'date' | 'boundary' | 'html' | 'text';

/** One kind's message with its slots left open: literal text and slots, alternating. */
export interface MimeStencil {
  readonly pieces: ReadonlyArray<string | MimeSlot>;
}

/** What one message fills in. */
export interface MimeValues {
  to: string;
  messageId: string;
  date: Date;
  /** The random part of the MIME boundaries: 16 hexadecimal digits (8 random bytes). */
  boundary: string;
  html: string;
  text: string;
}

/** The headers every message of a kind shares (the rest of an `OutgoingMessage`). */
export type SharedHeaders = Pick<OutgoingMessage, 'from' | 'replyTo' | 'subject'>;

/**
 * The values a stencil carries as they are: those nodemailer writes as it
 * is given them, on their header's line. An address of dot-atoms at a
 * lowercase domain whose last label starts with a letter (nodemailer
 * lowercases a domain, reads one ending in a number as an IPv4 address,
 * and quotes any other local part); a Message-ID in angle brackets (it
 * adds them); each short enough (`To: ` and 71, `Message-ID: ` and 63)
 * that the line stays under the 76 characters at which nodemailer folds
 * it. The probes hold values of these lengths and of every character
 * allowed.
 */
const PLAIN_ADDRESS = /^(?=.{1,71}$)[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*$/;
const PLAIN_MESSAGE_ID = /^<[\x21-\x7e]{0,61}>$/;

/** The random part of a boundary: always this long, since nodemailer folds its Content-Type line by length. */
const BOUNDARY = /^[0-9a-f]{16}$/;

/** The Date header as nodemailer writes it. */
function mimeDate(date: Date): string {
  return date.toUTCString().replace(/GMT/, '+0000');
}

/** The message nodemailer composes for these values: the stencil's reference. */
function composed(shared: SharedHeaders, values: MimeValues): Promise<Buffer> {
  const { to, messageId, date, boundary, html, text } = values;
  // Base64 named for both bodies: left to choose, nodemailer writes a short ASCII body as it is.
  return new MailComposer({
    ...shared,
    to,
    messageId,
    date,
    html: { content: html, contentTransferEncoding: 'base64' },
    text: { content: text, contentTransferEncoding: 'base64' },
    // As renderServiceEmail gives it to nodemailer: encoded words in the headers are base64 too.
    textEncoding: 'base64',
    baseBoundary: boundary,
  })
    .compile()
    .build();
}

/**
 * Fills a stencil in, or `undefined` when a value would change the
 * message's shape (then compose the message with nodemailer): a recipient
 * or Message-ID nodemailer would not write as it is, a boundary of another
 * form, an empty body (nodemailer leaves its part out).
 *
 * @param stencil The kind's stencil.
 * @param values  This message's values.
 */
export function fillMimeStencil(stencil: MimeStencil, values: MimeValues): string | undefined {
  if (!PLAIN_ADDRESS.test(values.to) || !PLAIN_MESSAGE_ID.test(values.messageId) || !BOUNDARY.test(values.boundary)) return undefined;
  // nodemailer leaves an empty body out of the message.
  if (values.html === '' || values.text === '') return undefined;
  const filled: Record<MimeSlot, string> = {
    to: values.to,
    messageId: values.messageId,
    date: mimeDate(values.date),
    boundary: values.boundary,
    html: base64Lines(values.html),
    text: base64Lines(values.text),
  };
  let out = '';
  for (let index = 0; index < stencil.pieces.length; index += 1) out += index % 2 === 0 ? stencil.pieces[index] : filled[stencil.pieces[index] as MimeSlot];
  return out;
}

/** UTF-8 text as base64 in lines of 76 characters with CRLF between, as nodemailer encodes a body (slices: a regular expression cost four times as much). */
function base64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  let out = encoded.slice(0, 76);
  for (let start = 76; start < encoded.length; start += 76) out += `\r\n${encoded.slice(start, start + 76)}`;
  return out;
}

/** Probe values: long and short bodies in two scripts, CRLF and dots at line starts, an address and a Message-ID at the longest plain length. */
function probes(): MimeValues[] {
  const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  return [
    { to: "a!#$%&'*+-/=?^_`{|}~.z@xn--mgbh0fb.example-1.org", messageId: '<confirm.0123456789abcdef01234567@example.org>', date, boundary: 'a1b2c3d4e5f60718', html: `<p dir="rtl">${'مرحبا، '.repeat(400)}</p>\r\n.\r\n`, text: `.سطر\r\n${'نص '.repeat(100)}\n` },
    { to: `${'r'.repeat(47)}@${'d'.repeat(15)}.example`, messageId: `<${'m'.repeat(49)}@example.org>`, date: new Date(date.getTime() + 86_400_000 * 300), boundary: 'ffffffffffffffff', html: 'x', text: 'y\n' },
  ];
}

/**
 * Makes a kind's stencil from its shared headers, or `undefined` when a
 * filled stencil would not give nodemailer's bytes for the probes.
 *
 * @param shared The kind's From, Reply-To and Subject.
 */
export async function makeMimeStencil(shared: SharedHeaders): Promise<MimeStencil | undefined> {
  // Letters and digits: no encoding nodemailer applies changes them, and base64 of each is found whole.
  const mark = `sahifa${randomBytes(8).toString('hex')}`;
  const date = new Date(Date.UTC(2001, 1, 3, 4, 5, 6));
  const markers: Record<MimeSlot, string> = {
    to: `${mark}to@example.org`,
    messageId: `<${mark}id@example.org>`,
    date: mimeDate(date),
    // Random, of the length of every boundary: not a marker (its length decides how nodemailer folds the header).
    boundary: randomBytes(8).toString('hex'),
    // Each body is its marker alone, so the marker's base64 is the whole encoded body.
    html: base64Lines(`${mark}htm`),
    text: base64Lines(`${mark}txt`),
  };
  const message = (await composed(shared, { to: markers.to, messageId: markers.messageId, date, boundary: markers.boundary, html: `${mark}htm`, text: `${mark}txt` })).toString('utf8');
  const order = Object.keys(markers) as MimeSlot[];
  const pattern = new RegExp(`(${order.map((slot) => markers[slot].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`);
  const pieces = message.split(pattern).map((piece, index) => (index % 2 === 0 ? piece : order.find((slot) => markers[slot] === piece)!));
  const stencil: MimeStencil = { pieces };
  for (const probe of probes()) {
    const expected = (await composed(shared, probe)).toString('utf8');
    if (fillMimeStencil(stencil, probe) !== expected) return undefined;
  }
  return stencil;
}
