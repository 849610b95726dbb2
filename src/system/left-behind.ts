import { isRunning } from './is-running.js';

/**
 * Text made safe to put inside a regular expression as itself.
 *
 * @param text Any text (a file name, a prefix).
 */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The names among `names` of temporary files or folders left by a process
 * that is no longer running: `pattern` matches such a name and captures the
 * writer's process id in its first group. Names of this process or of a live
 * one (another build at this moment) are not among them.
 *
 * @param names   Names of a folder's entries.
 * @param pattern Matches a temporary name, the process id in group 1.
 */
export function leftBehind(names: readonly string[], pattern: RegExp): string[] {
  return names.filter((name) => {
    const pid = Number(pattern.exec(name)?.[1]);
    return pid > 0 && pid !== process.pid && !isRunning(pid);
  });
}
