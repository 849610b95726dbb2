import { BuildFailure } from '../diagnostics/build-failure.js';
import { formatMessage } from '../diagnostics/format.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import type { VFileMessage } from 'vfile-message';

/** Whether standard error is a terminal (colour and progress lines only there). */
export const stderrIsTty = Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;

/**
 * Prints messages to standard error in `file:line:col: severity reason` form.
 *
 * @param messages The messages.
 */
export function printMessages(messages: readonly VFileMessage[]): void {
  for (const message of messages) process.stderr.write(`${formatMessage(message, { color: stderrIsTty })}\n`);
}

/**
 * Prints any error a command ends with: every message of a
 * {@link BuildFailure}, or the message and causes of any other error.
 *
 * @param error What was thrown.
 * @returns The number of errors printed.
 */
export function printError(error: unknown): number {
  if (error instanceof BuildFailure) {
    printMessages(error.messages);
    return error.messages.filter((message) => message.fatal).length;
  }
  let current: unknown = error;
  let prefix = 'error: ';
  while (current instanceof Error) {
    process.stderr.write(`${prefix}${safeLines(current.message)}\n`);
    current = current.cause;
    prefix = '  caused by: ';
  }
  if (current !== undefined && !(current instanceof Error)) process.stderr.write(`${prefix}${safeLines(String(current))}\n`);
  return 1;
}

/** An error's text made inert line by line: causes often quote a server's or a file's words. */
function safeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}

/**
 * A progress line on a terminal ("Building 3/40 posts"), rewritten in place;
 * nothing when output goes to a file or a pipe.
 *
 * @param label What is being done, e.g. "Building".
 */
export function progressLine(label: string): { update(done: number, total: number): void; clear(): void } {
  let shown = false;
  return {
    update(done, total) {
      if (!stderrIsTty || total < 2) return;
      process.stderr.write(`\r${label} ${done}/${total} posts`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

/**
 * "1 post", "2 posts": a count with its noun.
 *
 * @param count  How many.
 * @param noun   Singular noun.
 */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * A port number from a flag: a whole number from 0 to 65535 (0 asks for any free port), written in
 * decimal digits, or an error naming the flag.
 *
 * @param value What was given to `--port`.
 */
export function portOf(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new Error(`--port expects a whole number from 0 to 65535 (0: any free port), got "${terminalSafe(value)}": e.g. --port 4000`);
  return port;
}

/**
 * Ctrl+C (or SIGTERM), for commands that serve until stopped: the handlers
 * are set at once, so call it before starting anything. A signal that came
 * before the command said it was ready (a supervisor stopping it while it
 * starts) then stops it once started, instead of killing it on the spot.
 *
 * @returns Resolves on the first such signal.
 */
export function interruption(): Promise<void> {
  return new Promise((interrupted) => {
    const stop = () => interrupted();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
