import { terminalSafe } from '../diagnostics/terminal-text.js';
import { SUBSCRIBER_STATES, mostRestrictive, type SubscriberState } from './subscribers.js';

/** The columns sahifa reads, by what they mean; each maps to the header cells that name it. */
type Column = 'email' | 'name' | 'firstName' | 'lastName' | 'lang' | 'state' | 'subscribed' | 'emailDisabled' | 'unsubscribedAt' | 'cleanedAt' | 'createdAt';

/**
 * Header names accepted for each column, compared in lower case without
 * spaces, `_`, `-` or `.`: sahifa's own export, Mailchimp (`Email Address`,
 * `First Name`, `UNSUB_TIME`, `CLEAN_TIME`), WordPress.com (`email_address`),
 * Ghost (`subscribed_to_emails`), Substack (`email_disabled`) and others.
 */
const ALIASES: Readonly<Record<Column, readonly string[]>> = {
  email: ['email', 'emailaddress', 'mail', 'subscriberemail', 'useremail', 'memberemail'],
  name: ['name', 'fullname', 'displayname', 'subscribername', 'membername'],
  firstName: ['firstname', 'fname', 'givenname'],
  lastName: ['lastname', 'lname', 'surname', 'familyname'],
  lang: ['lang', 'language', 'locale'],
  state: ['state', 'status', 'subscriptionstatus', 'subscriberstatus'],
  subscribed: ['subscribedtoemails', 'subscribed', 'emailsubscribed'],
  emailDisabled: ['emaildisabled', 'unsubscribed'],
  unsubscribedAt: ['unsubtime', 'unsubscribedat', 'unsubscribedate'],
  cleanedAt: ['cleantime', 'bouncedat', 'cleanedat'],
  // The first of these in a file wins: Mailchimp's OPTIN_TIME comes before its CONFIRM_TIME.
  createdAt: ['createdat', 'subscriptiondate', 'subscribedat', 'datesubscribed', 'optintime', 'confirmtime', 'signupdate'],
};

/** The columns `--map` may name, by the word used on the command line. */
export const MAPPABLE: Readonly<Record<string, Column>> = {
  email: 'email',
  name: 'name',
  first_name: 'firstName',
  last_name: 'lastName',
  lang: 'lang',
  state: 'state',
  created_at: 'createdAt',
};

/** `--map email=COLUMN,name=COLUMN`: header names chosen by hand, by sahifa's column word. */
export type ColumnMap = Partial<Record<keyof typeof MAPPABLE, string>>;

/**
 * Reads the value of `--map`.
 *
 * @param value E.g. `email=E-Mail-Adresse,name=Vorname`.
 * @throws {Error} naming `--map` when a pair is not `word=COLUMN` or the word is unknown.
 */
export function parseColumnMap(value: string): ColumnMap {
  const map: ColumnMap = {};
  for (const pair of value.split(',')) {
    const at = pair.indexOf('=');
    const word = pair.slice(0, at).trim().toLowerCase();
    const column = pair.slice(at + 1).trim();
    if (at < 1 || !column || !(word in MAPPABLE)) {
      throw new Error(`--map expects word=COLUMN pairs separated by commas, with word one of ${Object.keys(MAPPABLE).join(', ')}; got "${pair}" (e.g. --map email=E-Mail,name=Full Name)`);
    }
    map[word] = column;
  }
  return map;
}

/** State words of other platforms, for the `state` column. */
const STATE_WORDS: Readonly<Record<string, SubscriberState>> = {
  active: 'active',
  subscribed: 'active',
  confirmed: 'active',
  unsubscribed: 'unsubscribed',
  unsubscribe: 'unsubscribed',
  optedout: 'unsubscribed',
  bounced: 'bounced',
  bounce: 'bounced',
  cleaned: 'bounced',
};

/** States of a sign-up that was never confirmed by email (sahifa's own `pending`, Mailchimp's `pending`). */
const PENDING_WORDS = new Set(['pending', 'unconfirmed']);

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** A row read through the header: what it says about one subscriber, or why it cannot. */
export type RowReading =
  | { ok: true; email: string; name?: string; lang?: string; state: SubscriberState; createdAt?: string }
  /** A sign-up that was never confirmed (`pending`): not a subscriber, so never imported as one. */
  | { ok: false; pending: true }
  | { ok: false; reason: string };

/** Which cell of a row holds each column. */
export type ColumnIndex = Partial<Record<Column, number>>;

/** Header cell in the form {@link ALIASES} uses. */
function squash(cell: string): string {
  return cell.trim().toLowerCase().replace(/[\s_.-]+/g, '');
}

/**
 * Finds the columns in a header row (the first header cell of a column wins).
 *
 * @param header The header row's cells.
 * @throws {Error} when no cell names an email column.
 */
export function indexColumns(header: readonly string[], map: ColumnMap = {}): ColumnIndex {
  const index: ColumnIndex = {};
  for (const [word, wanted] of Object.entries(map) as Array<[string, string]>) {
    const exact = header.findIndex((cell) => cell.trim() === wanted);
    const position = exact === -1 ? header.findIndex((cell) => squash(cell) === squash(wanted)) : exact;
    if (position === -1) throw new Error(`--map ${word}=${wanted}: the CSV has no column "${wanted}" (its columns: ${terminalSafe(header.map((cell) => cell.trim()).join(', '))})`);
    index[MAPPABLE[word]!] = position;
  }
  const mapped = new Set(Object.values(index));
  header.forEach((cell, position) => {
    const name = squash(cell);
    if (mapped.has(position)) return;
    for (const [column, aliases] of Object.entries(ALIASES) as Array<[Column, readonly string[]]>) {
      if (aliases.includes(name) && index[column] === undefined) index[column] = position;
    }
  });
  if (index.email === undefined) {
    throw new Error('the CSV has no `email` column: its first row must name the columns, e.g. `email,name,lang,state` (`Email Address` and `email_address` work too), or name it with --map email=COLUMN');
  }
  return index;
}

/**
 * Reads one row: the address and name cells as they are, the other cells trimmed again, the
 * state from every column that says something about it (the most
 * restrictive wins; an unknown word is a bad row, never `active`).
 *
 * @param cells The row's cells (already restored from formula quoting).
 * @param index The columns, from {@link indexColumns}.
 */
export function readRow(cells: readonly string[], index: ColumnIndex): RowReading {
  // Cells come trimmed; a name keeps the white space the formula quote protected (`'\t=…`).
  const raw = (column: Column) => {
    const position = index[column];
    return position === undefined ? '' : (cells[position] ?? '');
  };
  const cell = (column: Column) => raw(column).trim();
  let state: SubscriberState = 'active';
  const word = cell('state');
  if (PENDING_WORDS.has(squash(word))) return { ok: false, pending: true };
  if (word) {
    const known = STATE_WORDS[squash(word)];
    if (!known) return { ok: false, reason: `"${word}" is no subscriber state (expected ${SUBSCRIBER_STATES.join(', ')})` };
    state = mostRestrictive(state, known);
  }
  for (const [column, whenTrue] of [['subscribed', false], ['emailDisabled', true]] as const) {
    const flag = cell(column).toLowerCase();
    if (!flag) continue;
    if (!TRUE.has(flag) && !FALSE.has(flag)) return { ok: false, reason: `"${cell(column)}" is neither true nor false (column ${column === 'subscribed' ? 'subscribed_to_emails' : 'email_disabled'})` };
    if (TRUE.has(flag) === whenTrue) state = mostRestrictive(state, 'unsubscribed');
  }
  if (cell('unsubscribedAt')) state = mostRestrictive(state, 'unsubscribed');
  if (cell('cleanedAt')) state = mostRestrictive(state, 'bounced');

  const createdAt = cell('createdAt');
  // Exports write their times in UTC, often without saying so (Mailchimp's `2024-03-01 10:00:00`).
  const when = createdAt ? new Date(/[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(createdAt) ? `${createdAt.replace(' ', 'T')}Z` : createdAt) : undefined;
  if (createdAt && (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(createdAt) || Number.isNaN(when?.getTime()))) {
    return { ok: false, reason: `"${createdAt}" is no date (expected ISO 8601, e.g. 2025-01-31T09:00:00.000Z)` };
  }
  const name = raw('name') || [cell('firstName'), cell('lastName')].filter(Boolean).join(' ');
  const position = index.email ?? 0;
  return {
    ok: true,
    email: cells[position] ?? '',
    name: name || undefined,
    lang: cell('lang') || undefined,
    state,
    createdAt: when?.toISOString(),
  };
}
