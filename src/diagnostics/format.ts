import { relative } from 'node:path';
import pc from 'picocolors';
import type { VFileMessage } from 'vfile-message';

/** Options for {@link formatMessage}. */
export interface FormatOptions {
  /** Folder that file paths are shown relative to (default: the working directory). */
  cwd?: string;
  /** Colour the severity; only turn this on for a TTY. */
  color?: boolean;
}

/**
 * Formats one message in the `file:line:col: severity reason` form that
 * editors and terminals turn into links.
 *
 * @param message The message to print.
 * @param options Where paths are relative to, and whether to colour.
 */
export function formatMessage(message: VFileMessage, options: FormatOptions = {}): string {
  const colors = pc.createColors(options.color ?? false);
  const cwd = options.cwd ?? process.cwd();
  const file = message.file ? relative(cwd, message.file) || message.file : '<input>';
  const where = message.line ? `${file}:${message.line}:${message.column ?? 1}` : file;
  const severity = message.fatal ? colors.red('error') : colors.yellow('warning');
  const rule = message.ruleId ? colors.dim(` [${message.ruleId}]`) : '';
  return `${where}: ${severity} ${message.reason}${rule}`;
}
