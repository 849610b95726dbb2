/**
 * One server under test for `npm run bench -- serve`, in a process of its
 * own so that the load generator's work and memory are not counted with it.
 * `node --expose-gc --import tsx bench/serve-target.ts bare|service [ROOT SMTP_URL]`;
 * it sends `{ url }` over IPC once listening, answers `'memory'` with its
 * heap and RSS after its queued emails are sent and a full garbage
 * collection, answers `'cpu'` with the CPU time so far of all its threads
 * and of each thread (with its nice value; the main thread's id is the
 * process's),
 * and stops on `'close'`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { startBareSubscribe } from './serve-reference.js';

/** What this process reports over IPC. */
export type TargetMessage =
  | { url: string }
  | { memory: { heapUsed: number; rss: number } }
  | { cpu: { process: number; threads: Record<string, ThreadCpu> } }
  | { error: string };

/** One thread's CPU time so far, in microseconds, and its nice value. */
export interface ThreadCpu {
  cpu: number;
  nice: number;
}

/** One thread's counters from Linux's `/proc/self/task/TID/stat`, or `undefined` when it cannot be read (another system, a thread gone). */
function threadCpu(tid: string): ThreadCpu | undefined {
  try {
    // Fields after the command's closing parenthesis (the last one: the name may hold one): utime and stime are the
    // 12th and 13th, in clock ticks (100 a second); nice the 17th.
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cpu: (Number(fields[11]) + Number(fields[12])) * 10_000, nice: Number(fields[16]) };
  } catch {
    return undefined;
  }
}

/** Every thread of this process by its id (none off Linux). */
function threadsCpu(): Record<string, ThreadCpu> {
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    // Not Linux: no per-thread figures.
  }
  const threads: Record<string, ThreadCpu> = {};
  for (const tid of tids) {
    const counters = threadCpu(tid);
    if (counters) threads[tid] = counters;
  }
  return threads;
}

const send = (message: TargetMessage) => process.send?.(message);
const [kind, root, smtpUrl] = process.argv.slice(2);

async function start(): Promise<{ url: string; settled?: () => Promise<void>; close: () => Promise<void> | void }> {
  if (kind === 'bare') {
    const { url, server } = await startBareSubscribe();
    return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  if (!root || !smtpUrl) throw new Error('service needs ROOT and SMTP_URL');
  // The V8 heap flag the `sahifa` command sets before anything else (src/cli/bin.ts): the service runs as a user's would.
  (await import('../src/startup/heap-growth.js')).limitHeapGrowth();
  const { startService } = await import('./serve-service.js');
  return startService(root, smtpUrl);
}

try {
  const server = await start();
  process.on('message', async (message) => {
    if (message === 'memory') {
      // The confirmation emails queued by the run are sent first: memory is read with the work done.
      // BENCH_SETTLE=0 skips that wait (a quicker A/B of rate and CPU; the memory figures then mean less).
      if (process.env.BENCH_SETTLE !== '0') await server.settled?.();
      globalThis.gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      send({ memory: { heapUsed, rss } });
    } else if (message === 'cpu') {
      // CPU time of the whole process and of each of its threads, in microseconds: read right before and after a run.
      const { user, system } = process.cpuUsage();
      send({ cpu: { process: user + system, threads: threadsCpu() } });
    } else if (message === 'close') {
      // Without settling, the emails still queued would take minutes to send at the site's rate.
      if (process.env.BENCH_SETTLE === '0') process.exit(0);
      await server.close();
      process.disconnect();
    }
  });
  send({ url: server.url });
} catch (error) {
  send({ error: error instanceof Error ? error.message : String(error) });
  process.disconnect();
}
