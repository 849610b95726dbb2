import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { CONFIG_FILE } from '../../config/site-root.js';
import { spawnWorker } from '../../system/spawn-worker.js';
import { compiledLayoutsDir } from './layout-store.js';
import { hasBundledMjml } from './load-mjml.js';
import type { MjmlAnswer, MjmlRequest } from './mjml-worker.js';

/**
 * mjml loaded in a worker thread while the build starts: loading it costs
 * about half a second of CPU (hundreds of CommonJS files), which on the main
 * thread a cold build waits for when it compiles its first email layout.
 * Started early, on another core, the load is over by then. The thread only
 * compiles layouts; anything it cannot do is done on the main thread as
 * before, so the output is mjml's own either way.
 */
class MjmlThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (html: string) => void; reject: (error: Error) => void }>();
  private next = 0;
  private failure: Error | undefined;

  constructor() {
    this.worker = spawnWorker(import.meta.url, 'mjml-worker', undefined);
    this.worker.on('message', (answer: MjmlAnswer) => {
      const waiting = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (this.pending.size === 0) this.worker.unref();
      if ('html' in answer) waiting?.resolve(answer.html);
      else waiting?.reject(new Error(answer.error));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', () => this.fail(new Error('the mjml thread stopped')));
    // An idle thread must not keep the process alive; one with a compile pending must. After the listeners: adding a
    // 'message' listener refs the worker again, and a build that failed before stopping the thread never ended.
    this.worker.unref();
  }

  /** Compiles MJML on the thread, as mjml2html(mjml, options).html would. */
  compile(mjml: string, options: object): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    const id = (this.next += 1);
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, mjml, options } satisfies MjmlRequest);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}

/** Where the process's thread is kept (see `shared`). */
const SHARED = Symbol.for('sahifa.mjml-thread');

/**
 * The process's thread, kept on the global object: the bundled CLI runs this
 * module twice (the command's part starts the thread, the build's part,
 * `build.cjs`, compiles on it), and both must see the same thread.
 */
const shared = ((globalThis as { [SHARED]?: { thread?: MjmlThread; started: number } })[SHARED] ??= { started: 0 });

/**
 * Starts the thread (once per process) so that mjml is loading while the
 * build starts. A thread Node refuses to start (flags it does not take in a
 * thread) leaves none: the main thread compiles, as without one.
 */
export function startMjmlThread(): void {
  if (shared.thread) return;
  try {
    shared.thread = new MjmlThread();
  } catch {
    return;
  }
  shared.started += 1;
}

/** How many times this process started the thread (each start loads mjml there). */
export function mjmlThreadsStarted(): number {
  return shared.started;
}

/** The running thread, if one was started. */
export function mjmlThread(): Pick<MjmlThread, 'compile'> | undefined {
  return shared.thread;
}

/** Stops the thread, when one runs. */
export async function stopMjmlThread(): Promise<void> {
  const running = shared.thread;
  shared.thread = undefined;
  await running?.stop();
}

/**
 * Whether a build of the site at `root` is likely to compile an email layout
 * with mjml: its configuration has an email section and no compiled layout is
 * kept (a first build, `--no-cache`, a cache deleted). Read cheaply, before
 * the configuration is loaded and checked; a wrong guess only costs or saves
 * the thread.
 *
 * @param root     The site root.
 * @param useCache Whether the build uses the cache.
 */
export function willCompileLayouts(root: string, useCache: boolean): boolean {
  try {
    const config = JSON.parse(readFileSync(join(root, CONFIG_FILE), 'utf8')) as { email?: unknown } | null;
    if (!config?.email) return false;
  } catch {
    return false;
  }
  const kept = compiledLayoutsDir(root);
  return !useCache || !existsSync(kept) || readdirSync(kept).length === 0;
}

/**
 * Whether loading mjml on a thread of its own saves a cold build time. The
 * thread costs about 0.2 s of CPU to start (a new V8 isolate and Node's own
 * start-up in it) before it loads anything. From node_modules mjml takes
 * 0.65–0.8 s to load, and the thread always pays; bundled (mjml.cjs, through
 * its code cache) about 0.2 s, and the thread pays only on a core that would
 * otherwise be idle (never on one core): with every core busy (a shared machine, a CI runner) it
 * made a one-post build 15% slower than loading mjml on the main thread when
 * the first layout is compiled.
 *
 * @param bundled Whether the bundled mjml is there (default: as this sahifa is).
 * @param load    The one-minute load average (default: the machine's).
 * @param cores   The cores this process may use (default: the machine's).
 */
export function mjmlThreadPays(bundled = hasBundledMjml(), load = loadavg()[0] ?? 0, cores = availableParallelism()): boolean {
  return !bundled || (cores > 1 && load <= cores - 1);
}
