/**
 * The output's file-writing thread (see file-writer.ts): it makes the
 * folders and writes the files it is sent, in order, so the system calls
 * (and the UTF-8 encoding of pages) run on another core than the build.
 * After the first failure it writes nothing more: the build fails with
 * that error and throws the staging folder away.
 */
import { parentPort } from 'node:worker_threads';
import type { FromFileWriter, ToFileWriter } from './file-writer.js';
import { runFileOperation } from './file-writer.js';

const port = parentPort!;
let failed = false;

port.on('message', (batch: ToFileWriter) => {
  let answer: FromFileWriter = { id: batch.id };
  if (!failed) {
    for (const operation of batch.operations) {
      try {
        runFileOperation(operation);
      } catch (error) {
        failed = true;
        const { message, code, errno, syscall, path } = error as NodeJS.ErrnoException;
        answer = { id: batch.id, error: { message: message ?? String(error), code, errno, syscall, path } };
        break;
      }
    }
  }
  port.postMessage(answer);
});
