/**
 * Text from untrusted sources (front matter, subscriber names, server replies)
 * is printed to terminals; escape sequences in it could move the cursor,
 * rewrite earlier lines or change the window title. This makes such text inert.
 */

// C0 and C1 control characters except TAB, DEL, and the bidi embedding/override/isolate controls.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replaces every control character (escape sequences included) and every bidi
 * embedding, override or isolate control with a visible `\u{…}` escape, so the
 * text shows what it holds and cannot act on the terminal.
 *
 * @param text Untrusted text on its way to a terminal.
 * @returns The same text with each unsafe character written as `\u{hex}`.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
}
