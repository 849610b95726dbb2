import { parentPort } from 'node:worker_threads';
import { loadMjml } from './load-mjml.js';

/** A compile asked of the thread (see mjml-thread.ts). */
export interface MjmlRequest {
  id: number;
  mjml: string;
  options: object;
}

/** The thread's answer: the HTML, or why mjml refused. */
export type MjmlAnswer = { id: number; html: string } | { id: number; error: string };

// mjml is loaded as soon as the thread starts: that load is what the thread exists to do beside the build.
const mjml2html = loadMjml();
mjml2html.catch(() => undefined);

parentPort?.on('message', (request: MjmlRequest) => {
  void (async () => {
    let answer: MjmlAnswer;
    try {
      answer = { id: request.id, html: (await (await mjml2html)(request.mjml, request.options)).html };
    } catch (error) {
      answer = { id: request.id, error: error instanceof Error ? error.message : String(error) };
    }
    parentPort?.postMessage(answer);
  })();
});
