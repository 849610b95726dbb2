import { relative } from 'node:path';
import pc from 'picocolors';
import type { VFileMessage } from 'vfile-message';
import { terminalSafe } from './terminal-text.js';

/** Options for {@link formatMessage}. */
export interface FormatOptions {
  /** Folder that file paths are shown relative to (default: the working directory). */
  cwd?: string;
  /** Colour the severity; only turn this on for a TTY. */
  color?: boolean;
}

/**
 * Formats one message in the `file:line:col: severity reason` form that
 * editors and terminals turn into links. Control characters and bidi controls
 * in the path and the reason are shown as `\u{…}` escapes (see terminalSafe).
 *
 * @param message The message to print.
 * @param options Where paths are relative to, and whether to colour.
 */
export function formatMessage(message: VFileMessage, options: FormatOptions = {}): string {
  const colors = pc.createColors(options.color ?? false);
  const cwd = options.cwd ?? process.cwd();
  // Reasons quote front matter and file names, which may hold escape sequences: print them inert.
  const file = terminalSafe(message.file ? relative(cwd, message.file) || message.file : '<input>');
  const where = message.line ? `${file}:${message.line}:${message.column ?? 1}` : file;
  const severity = message.fatal ? colors.red('error') : colors.yellow('warning');
  const rule = message.ruleId ? colors.dim(` [${message.ruleId}]`) : '';
  return `${where}: ${severity} ${terminalSafe(message.reason)}${rule}`;
}
