/**
 * Whether a process of that id is still running (signal 0 tests it without
 * touching it). EPERM means it runs, as another user.
 *
 * @param pid The process id.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
