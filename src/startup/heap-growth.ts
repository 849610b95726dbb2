import { setFlagsFromString } from 'node:v8';

/**
 * How much V8's heap may grow past what survived its last full garbage
 * collection before it collects again, in percent (V8's
 * `--heap-growing-percent`). V8 otherwise picks a factor of up to 4×
 * from its own speed: a cold build of 4,000 posts, about 110 MiB of live
 * objects, kept some 360 MiB of heap (a 500 MiB process); with 20% it
 * keeps about 175 MiB (a 310 MiB process) in the same time (see the
 * README's benchmark).
 */
export const HEAP_GROWING_PERCENT = 20;

/** Whether the user gave Node a growing factor of their own (`node --heap-growing-percent=N …`; Node refuses it in `NODE_OPTIONS`). */
function givenByUser(): boolean {
  return process.execArgv.some((flag) => /^--heap[-_]growing[-_]percent\b/.test(flag));
}

/**
 * Sets V8's heap growing factor for the whole process (every worker thread
 * too: V8's flags are per process) to {@link HEAP_GROWING_PERCENT}, unless
 * the user set one. Call it before any code cache is read: V8 accepts a
 * cache only when the flags are those it was made with, and the bundle's
 * training build makes its caches with this flag set (the CLI's entry
 * imports this module first).
 *
 * @returns Whether the flag was set here.
 */
export function limitHeapGrowth(): boolean {
  if (givenByUser()) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
