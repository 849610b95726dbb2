import { Worker, type Transferable } from 'node:worker_threads';

/**
 * A new worker thread running the module `name` beside the caller's:
 * `name.js` once compiled; run from the TypeScript sources (tests, the
 * benchmark), `name.ts` loaded through tsx, a development dependency.
 *
 * @param callerUrl  The caller's `import.meta.url`.
 * @param name       The module's file name without its extension, e.g. `worker`.
 * @param workerData What the thread starts from (structured-cloned into it).
 * @param transferList What in `workerData` moves to the thread rather than being copied (message ports).
 */
export function spawnWorker(callerUrl: string, name: string, workerData: unknown, transferList: readonly Transferable[] = []): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData, transferList: [...transferList] });
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(callerUrl)}))`;
  return new Worker(bootstrap, { eval: true, workerData, transferList: [...transferList] });
}
