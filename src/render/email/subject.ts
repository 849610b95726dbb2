import { balanceBidi, xmlSafe } from '../../content/plain-text.js';

/** Line breaks, tabs and other control characters, which must never reach a mail header. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Text made safe for a one-line mail header such as Subject: control
 * characters and line breaks (header injection) become single spaces, and
 * bidi controls are balanced so the title cannot reorder the rest of the line
 * in an inbox (the "Invoice \u202Efdp.exe" spoof).
 *
 * @param text The title or other text.
 */
export function headerText(text: string): string {
  return balanceBidi(xmlSafe(text.replace(CONTROL, ' '))).replace(/\s{2,}/g, ' ').trim();
}
