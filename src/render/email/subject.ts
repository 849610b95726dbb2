/** Line breaks, tabs and other control characters, which must never reach a mail header. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Text made safe for a one-line mail header such as Subject: control
 * characters and line breaks (header injection) become single spaces.
 *
 * @param text The title or other text.
 */
export function headerText(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s{2,}/g, ' ').trim();
}
