import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Tinypool } from 'tinypool';
import type { RenderAnswer, RenderTask } from './render-worker.js';

/**
 * Posts to render below which a build stays on one thread. Each worker
 * starts by importing the Markdown stack, Handlebars and mjml and compiling
 * the templates and the MJML layout (about 0.6 to 1 s of CPU), while one
 * post renders in about 10 to 25 ms: on two cores the pool pays for itself
 * from about a hundred posts; 200 leaves a margin for busy machines.
 */
export const PARALLEL_FROM = 200;

/** The worker module: compiled JS, or the TypeScript source through a tsx bootstrap when running from sources. */
const WORKER = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './render-worker-tsx.mjs' : './render-worker.js', import.meta.url));

/**
 * How many worker threads to use for `posts` posts to render: one per core
 * but one, since the main thread stays busy hashing, writing and linking
 * files and keeping the cache; none (render on the main thread) for a small
 * batch or when that leaves fewer than two workers. On two cores, two
 * workers beside the main thread measured no faster than one thread and
 * about 190 MiB heavier at 4,000 posts (each worker loads its own Markdown
 * stack, templates and mjml).
 *
 * @param posts   Posts to render.
 * @param threads The build's `threads` option (`auto` by default).
 */
export function threadsFor(posts: number, threads: number | 'auto' = 'auto'): number {
  if (threads !== 'auto') return threads > 1 ? Math.floor(threads) : 0;
  const workers = availableParallelism() - 1;
  return posts >= PARALLEL_FROM && workers >= 2 ? workers : 0;
}

/** A pool of worker threads that load and render posts (see render-worker.ts). */
export class RenderPool {
  private readonly pool: Tinypool;

  /** @param threads Worker threads. */
  constructor(readonly threads: number) {
    this.pool = new Tinypool({ filename: WORKER, minThreads: threads, maxThreads: threads });
  }

  /**
   * Loads and renders one post on a worker.
   *
   * @param task The post and the site.
   */
  run(task: RenderTask): Promise<RenderAnswer> {
    return this.pool.run(task) as Promise<RenderAnswer>;
  }

  /** Stops the workers. */
  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}
