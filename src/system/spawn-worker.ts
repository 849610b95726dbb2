import { Worker } from 'node:worker_threads';

/**
 * A new worker thread running the module `name` beside the caller's:
 * `name.js` once compiled; run from the TypeScript sources (tests, the
 * benchmark), `name.ts` loaded through tsx, a development dependency.
 *
 * A thread inherits Node's flags (V8's too) when given no list; a flag for
 * an `--eval` script (`--input-type`, as `node --input-type=module -e …`
 * calling `build()` has) makes a thread from a file fail, so the list is
 * then given without it. Node refuses a V8 flag in a list given by hand
 * (`node --heap-growing-percent=N --input-type=module -e …`): that throws
 * here (the build's threads then do without; `sahifa serve` fails to start).
 *
 * @param callerUrl  The caller's `import.meta.url`.
 * @param name       The module's file name without its extension, e.g. `worker`.
 * @param workerData What the thread starts from (structured-cloned into it).
 * @throws {Error} when Node refuses the flags kept for the thread.
 */
export function spawnWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  const kept = process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
  const options = { workerData, ...(kept.length < process.execArgv.length ? { execArgv: kept } : {}) };
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(callerUrl)}))`;
  return new Worker(bootstrap, { eval: true, ...options });
}
