import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../system/spawn-worker.js';

/** One step of writing an output: make a folder (its parents too when `parents`), or write a file. */
export type FileOperation = { folder: string; parents: boolean } | { file: string; content: string | Uint8Array };

/** A batch of operations for the thread, answered by its `id`. */
export interface ToFileWriter {
  id: number;
  operations: FileOperation[];
}

/** The thread's answer to a batch: done, or the error that stopped it (the thread writes nothing after one). */
export interface FromFileWriter {
  id: number;
  error?: { message: string; code?: string; errno?: number; syscall?: string; path?: string };
}

/**
 * Runs one operation, synchronously. A folder made without its parents
 * may already be there (made on the way to a deeper one): that is fine.
 *
 * @param operation The operation.
 * @throws {Error} the file system's error (ENOSPC, EACCES …).
 */
export function runFileOperation(operation: FileOperation): void {
  if ('file' in operation) {
    writeFileSync(operation.file, operation.content);
    return;
  }
  if (operation.parents) {
    mkdirSync(operation.folder, { recursive: true });
    return;
  }
  try {
    mkdirSync(operation.folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Files written on this thread before the rest go to a thread of their own: a small site never starts one. */
export const FILES_BEFORE_THREAD = 256;
/** Operations sent to the thread in one message. */
const BATCH_OPERATIONS = 64;
/** Bytes past which a batch goes at once, however few its operations. */
const BATCH_BYTES = 1024 * 1024;
/** Bytes (a string's counted as two a character) sent and not yet written past which `write` waits. */
const MAX_OUTSTANDING_BYTES = 16 * 1024 * 1024;

/**
 * Writes a build's files into a staging folder, making folders as needed.
 * The first {@link FILES_BEFORE_THREAD} files are written at once, on this
 * thread; past them (a large build) a thread of its own takes every further
 * folder and file, in order, and `write` returns once they are handed over
 * (a file larger than a batch is written here once the thread has caught up).
 * Each file costs the build's thread about 150 µs of system calls on the
 * machines measured (a folder as much again), a sixth of a cold build of
 * 4,000 posts, which a second core now does beside rendering.
 *
 * A failure on the thread surfaces at the next `write` or at `settled`,
 * as the same error (its code and path) the synchronous write would have
 * thrown; callers must `settled()` before reading a file back, writing the
 * manifest or removing the folder, and `close()` when done. A thread that
 * cannot start or stops is no failure: what it had not written, and every
 * later file, is written here.
 */
export class FileWriter {
  /**
   * @param limits When the thread starts and how many bytes it may have
   *   waiting (defaults {@link FILES_BEFORE_THREAD} and 16 MiB; tests make
   *   them small), and how it starts (tests give threads that fail).
   */
  constructor(
    private readonly limits: { filesBeforeThread: number; maxOutstandingBytes: number; startThread?: () => Worker } = {
      filesBeforeThread: FILES_BEFORE_THREAD,
      maxOutstandingBytes: MAX_OUTSTANDING_BYTES,
    },
  ) {}

  private readonly folders = new Set<string>();
  private filesWritten = 0;
  private thread: Worker | undefined;
  /** No thread can be had (it could not start, or stopped): every file is written here. */
  private threadLost = false;
  /** Closed: the output is being committed or thrown away, and nothing more may be written into it. */
  private closed = false;
  private batch: FileOperation[] = [];
  private batchBytes = 0;
  private flushScheduled = false;
  private nextId = 0;
  /** The batches sent and not yet answered, by id (in order), kept until the thread says they are written. */
  private readonly inFlight = new Map<number, { bytes: number; operations: FileOperation[] }>();
  private outstandingBytes = 0;
  private failure: Error | undefined;
  /** Called when an answer arrives (waiters of `settled` and of the byte bound). */
  private waiters: (() => void)[] = [];

  /** Whether a thread of its own writes the files (past the first ones). */
  get threaded(): boolean {
    return this.thread !== undefined;
  }

  /**
   * Writes `content` to the absolute path `file`, making its folder first.
   *
   * @param file    Absolute path inside the staging folder.
   * @param content The file's bytes or text (UTF-8).
   * @throws {Error} the file system's error, here or from an earlier file written on the thread.
   */
  async write(file: string, content: string | Uint8Array): Promise<void> {
    if (this.closed) throw new Error(`the output was closed before ${file} was written`);
    if (this.failure) throw this.failure;
    const bytes = typeof content === 'string' ? content.length * 2 : content.byteLength;
    // A file larger than a batch is written here once the thread has written everything before it (the folder it
    // goes in, too): copied for the thread, it would be held three times.
    while (this.thread && bytes > BATCH_BYTES && (this.batch.length > 0 || this.inFlight.size > 0)) await this.settled();
    if (this.closed) throw new Error(`the output was closed before ${file} was written`);
    const operations = [...this.folderOperations(dirname(file)), { file, content }];
    this.filesWritten += 1;
    const here = bytes > BATCH_BYTES || (!this.thread && (this.threadLost || this.filesWritten <= this.limits.filesBeforeThread));
    if (here || !(this.thread ??= this.startThread())) {
      for (const operation of operations) runFileOperation(operation);
      return;
    }
    // Bytes are copied now (a Buffer's slice would not copy): the caller may reuse its buffer before the batch is sent.
    operations[operations.length - 1] = { file, content: typeof content === 'string' ? content : new Uint8Array(content) };
    for (const operation of operations) this.batch.push(operation);
    this.batchBytes += bytes;
    // A build's loop may go on for long without the event loop turning (its awaits resolve at once): a full batch goes now.
    if (this.batch.length >= BATCH_OPERATIONS || this.batchBytes >= BATCH_BYTES || this.outstandingBytes + this.batchBytes > this.limits.maxOutstandingBytes) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    while (this.outstandingBytes > this.limits.maxOutstandingBytes && this.inFlight.size > 0) await this.nextAnswer();
    if (this.failure) throw this.failure;
  }

  /**
   * Resolves once every file given so far is written.
   *
   * @throws {Error} the first error the thread met.
   */
  async settled(): Promise<void> {
    this.flush();
    while (this.inFlight.size > 0) await this.nextAnswer();
    if (this.failure) throw this.failure;
  }

  /** Waits for the files given so far (whatever became of them), then stops the thread. */
  async close(): Promise<void> {
    this.closed = true;
    await this.settled().catch(() => undefined);
    const thread = this.thread;
    this.thread = undefined;
    await thread?.terminate();
  }

  /** The operations that make `folder`: none when this writer made it before. */
  private folderOperations(folder: string): FileOperation[] {
    if (this.folders.has(folder)) return [];
    const parents = !this.folders.has(dirname(folder));
    this.folders.add(folder);
    // A walk down from the root makes (or finds) every folder above: each is known to be there from now on.
    if (parents) for (let above = dirname(folder); !this.folders.has(above) && above !== dirname(above); above = dirname(above)) this.folders.add(above);
    // Most folders are a post's own, in a folder already made: one plain mkdir, not a walk down from the root.
    return [{ folder, parents }];
  }

  /** The thread, or `undefined` when none can start here (Node refusing the process's flags for a thread). */
  private startThread(): Worker | undefined {
    let thread: Worker;
    try {
      thread = this.limits.startThread?.() ?? spawnWorker(import.meta.url, 'file-writer-worker', undefined);
    } catch {
      this.threadLost = true;
      return undefined;
    }
    thread.on('message', (answer: FromFileWriter) => this.answered(answer));
    thread.on('error', () => this.lost(thread));
    thread.on('exit', () => this.lost(thread));
    // It keeps the process alive only while it has files to write (see flush and answered).
    thread.unref();
    return thread;
  }

  /**
   * The thread stopped before it was closed (it could not start, or died):
   * what it had not said it wrote, and what was waiting to go, is written
   * here, in order (making a folder or writing a file twice does no harm),
   * and so is every later file.
   */
  private lost(thread: Worker): void {
    if (this.thread !== thread || this.closed) return;
    this.thread = undefined;
    this.threadLost = true;
    const unconfirmed = [...this.inFlight.values()].flatMap((batch) => batch.operations).concat(this.batch);
    this.inFlight.clear();
    this.outstandingBytes = 0;
    this.batch = [];
    this.batchBytes = 0;
    if (!this.failure) {
      try {
        for (const operation of unconfirmed) runFileOperation(operation);
      } catch (error) {
        this.failure = error as Error;
      }
    }
    this.wakeWaiters();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.batch.length === 0 || !this.thread) return;
    const id = (this.nextId += 1);
    this.inFlight.set(id, { bytes: this.batchBytes, operations: this.batch });
    this.outstandingBytes += this.batchBytes;
    if (this.inFlight.size === 1) this.thread.ref();
    this.thread.postMessage({ id, operations: this.batch } satisfies ToFileWriter);
    this.batch = [];
    this.batchBytes = 0;
  }

  private answered(answer: FromFileWriter): void {
    const batch = this.inFlight.get(answer.id);
    if (!batch) return;
    this.inFlight.delete(answer.id);
    this.outstandingBytes -= batch.bytes;
    if (answer.error) this.failure ??= Object.assign(new Error(answer.error.message), answer.error);
    if (this.inFlight.size === 0) this.thread?.unref();
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private nextAnswer(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
