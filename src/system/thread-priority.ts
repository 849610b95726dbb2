import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of a thread that should run only on CPU nothing else wants (Linux's lowest priority). */
export const BACKGROUND_NICE = 19;

/**
 * Lowers the calling thread's CPU priority (its nice value), leaving the
 * process's other threads as they are. Linux only: there `setpriority`
 * given a thread id acts on that thread alone, and the id is read from
 * `/proc/thread-self` (Node gives no `gettid`), trusted only when it names
 * this process (a /proc of another PID namespace names other tasks).
 * Elsewhere, where the same call would lower the whole process, nothing is
 * done. Threads this thread starts afterwards (libuv's pool, if it is the
 * first to use it) inherit the lowered priority.
 *
 * @param nice The new nice value (0 normal … 19 lowest).
 * @returns Whether the thread's priority was set.
 */
export function lowerThisThreadPriority(nice: number = BACKGROUND_NICE): boolean {
  if (process.platform !== 'linux') return false;
  let link: string;
  try {
    link = readlinkSync('/proc/thread-self');
  } catch {
    return false;
  }
  const ids = /^(\d+)\/task\/(\d+)$/.exec(link);
  if (!ids || Number(ids[1]) !== process.pid) return false;
  const tid = Number(ids[2]);
  try {
    setPriority(tid, nice);
    return true;
  } catch {
    // Lowering is always allowed on Linux; a refusal (a sandbox) leaves the thread as it was, which still works.
    return false;
  }
}
