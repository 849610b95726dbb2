import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** A message Pagefind's service answers with (`payload.type` names it; `Error` carries `message`). */
export interface ServiceAnswer {
  /** The answer's kind: the request's own type, `IndexedFile`, or `Error`. */
  type: string;
  /** Pagefind's words, on an `Error`. */
  message?: string;
  [field: string]: unknown;
}

/** Pagefind's process stopped (exited, was killed, or spoke nonsense): every request waiting on it fails with this. */
export class PagefindStopped extends Error {}

/** How much of the binary's standard error is kept for the failure message. */
const STDERR_KEPT = 2048;

/**
 * One Pagefind process in service mode (`pagefind --service`), spoken to
 * over its standard input and output: base64 JSON messages, each ending in
 * a comma. The `pagefind` package's own client neither notices the process
 * exiting (a request waits for ever) nor lets its answers be streamed (the
 * whole bundle comes back as one message), so a build talks to the binary
 * here. A process that exits, is killed, or answers with something that is
 * not a message fails every request waiting on it, in one line.
 */
export class PagefindService {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly waiting = new Map<number, { resolve: (answer: ServiceAnswer) => void; reject: (error: Error) => void }>();
  private lastId = 0;
  private pending: Buffer[] = [];
  private stderr = '';
  private failure: PagefindStopped | undefined;
  private inputError: string | undefined;

  /**
   * Starts the binary.
   *
   * @param binary The Pagefind binary's path (see `pagefindBinary()`).
   */
  constructor(private readonly binary: string) {
    this.child = spawn(binary, ['--service'], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.setEncoding('utf8').on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_KEPT);
    });
    // A write to a process that has exited fails (EPIPE) before its 'close' arrives: wait for that, which says how it ended.
    this.child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      this.inputError ??= error.code ?? error.message;
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    });
    this.child.on('error', (error: NodeJS.ErrnoException) => this.fail(`it could not be started (${error.code ?? error.message})`));
    // 'close' waits for the output to be read to its end, so answers written just before an exit still count.
    this.child.on('close', (code, signal) => {
      if (signal === 'SIGTERM' && this.inputError !== undefined) this.fail(`its input closed (${this.inputError})`);
      else this.fail(signal ? `it was killed (${signal})` : `it exited (code ${code})`);
    });
  }

  /**
   * Sends one request and waits for its answer. An `Error` answer rejects
   * with Pagefind's words.
   *
   * @param payload The request (`{ type: 'AddRecord', index_id, … }`).
   * @throws {Error} when Pagefind answers with an error or stops before answering.
   */
  request(payload: Record<string, unknown>): Promise<ServiceAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.lastId;
    return new Promise<ServiceAnswer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Queued as bytes, not as a string: a request (tens of KB of a page's words) waiting in the pipe would otherwise
      // outlive the young generation and pile up in the old one until a full collection (hundreds of MiB at 20,000 pages).
      this.child.stdin.write(Buffer.from(`${Buffer.from(JSON.stringify({ message_id: id, payload })).toString('base64')},`, 'latin1'));
    }).then((answer) => {
      if (answer.type === 'Error') throw new Error(String(answer.message ?? 'an error without a message'));
      return answer;
    });
  }

  /** Ends the process (its work is written or abandoned by then). */
  close(): void {
    this.failure ??= new PagefindStopped('Pagefind was closed');
    this.child.stdin.end();
    this.child.kill();
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    for (let comma = chunk.indexOf(44); comma !== -1; comma = chunk.indexOf(44, start)) {
      this.pending.push(chunk.subarray(start, comma));
      const message = Buffer.concat(this.pending).toString('latin1');
      this.pending = [];
      start = comma + 1;
      this.answer(message);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  private answer(base64: string): void {
    let parsed: { message_id?: unknown; payload?: ServiceAnswer };
    try {
      parsed = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as typeof parsed;
    } catch {
      this.fail('it answered with something that is not a Pagefind message');
      return;
    }
    const payload = parsed.payload ?? { type: 'Error', message: 'an answer without a payload' };
    const waiter = typeof parsed.message_id === 'number' ? this.waiting.get(parsed.message_id) : undefined;
    if (waiter) {
      this.waiting.delete(parsed.message_id as number);
      waiter.resolve(payload);
    } else if (payload.type === 'Error') {
      // An error about a message it could not read names no request: it is about the conversation itself.
      this.fail(`it could not read a message (${String(payload.message ?? '')})`);
    }
  }

  private fail(why: string): void {
    if (!this.failure) {
      const said = this.stderr.trim().split('\n').pop()?.trim();
      this.failure = new PagefindStopped(`${this.binary} stopped before the index was written: ${why}${said ? `; it said "${said.slice(0, 200)}"` : ''}`);
    }
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}
