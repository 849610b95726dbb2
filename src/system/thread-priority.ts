import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of a thread that should run only on CPU nothing else wants (Linux's lowest priority). */
export const BACKGROUND_NICE = 19;

/**
 * Lowers the calling thread's CPU priority (its nice value), leaving the
 * process's other threads as they are. Linux only: there `setpriority`
 * given a thread id acts on that thread alone, and the id is read from
 * `/proc/thread-self` (Node gives no `gettid`). Elsewhere, where the same
 * call would lower the whole process, nothing is done.
 *
 * @param nice The new nice value (0 normal … 19 lowest).
 * @returns Whether the thread's priority was set.
 */
export function lowerThisThreadPriority(nice: number = BACKGROUND_NICE): boolean {
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return false;
  }
  if (!Number.isInteger(tid) || tid <= 0) return false;
  try {
    setPriority(tid, nice);
    return true;
  } catch {
    // Lowering is always allowed on Linux; a refusal (a sandbox) leaves the thread as it was, which still works.
    return false;
  }
}
