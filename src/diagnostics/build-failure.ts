import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';

/**
 * Thrown when a build, or a step before it, cannot go on. It carries every
 * problem found so far as VFile messages (file, line, column, reason), so a
 * caller can print all of them at once instead of only the first.
 */
export class BuildFailure extends Error {
  /** Every message collected, fatal ones and warnings alike. */
  readonly messages: VFileMessage[];

  /**
   * @param messages The problems found; at least one should be fatal.
   * @param options  Standard error options (`cause`).
   */
  constructor(messages: VFileMessage[], options?: ErrorOptions) {
    const fatal = messages.filter((message) => message.fatal);
    super(
      fatal.length === 1 ? String(fatal[0]?.reason) : `${fatal.length} errors`,
      options,
    );
    this.name = 'BuildFailure';
    this.messages = sortMessages(messages);
  }
}

/** Where in a file a problem is: a line and column (both 1-based), or nothing. */
export interface Place {
  line: number;
  column: number;
}

/**
 * Records a fatal problem on `file` without throwing, so that checking can go
 * on and report every problem in one run.
 *
 * @param file   The file the problem is in.
 * @param reason What is wrong and what to do about it.
 * @param place  Where it is, when known.
 * @param ruleId A short stable id for the kind of problem (used by tests).
 */
export function reportError(
  file: VFile,
  reason: string,
  place: Place | undefined,
  ruleId: string,
): VFileMessage {
  const message = file.message(reason, { place, ruleId, source: 'sahifa' });
  message.fatal = true;
  return message;
}

/**
 * Builds a failure for a single problem in one file, such as a missing or
 * unreadable file or a broken template.
 *
 * @param path    The file concerned.
 * @param reason  What is wrong and what to do about it.
 * @param ruleId  A short stable id for the kind of problem.
 * @param options Where in the file, and the underlying error.
 */
export function fileFailure(path: string, reason: string, ruleId: string, options: { place?: Place; cause?: unknown } = {}): BuildFailure {
  const file = new VFile({ path });
  reportError(file, reason, options.place, ruleId);
  return new BuildFailure(file.messages, { cause: options.cause });
}

/**
 * Messages in reading order: by file, then line, then column; messages
 * without a place come first in their file.
 *
 * @param messages Messages in any order (not changed).
 */
export function sortMessages(messages: readonly VFileMessage[]): VFileMessage[] {
  return [...messages].sort(
    (a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

/** True when any of `messages` is fatal. */
export function hasFatal(messages: readonly VFileMessage[]): boolean {
  return messages.some((message) => message.fatal);
}
