import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

/** A message the test server accepted. */
export interface Received {
  /** RCPT TO addresses. */
  to: string[];
  parsed: ParsedMail;
}

/** An SMTP reply to refuse a recipient with, e.g. `{ code: 451, message: 'try later' }`. */
export interface Refusal {
  code: number;
  message: string;
}

/** Options of {@link startSmtpServer}. */
export interface SmtpServerOptions {
  /** Decides per recipient (and attempt) whether to refuse it. */
  refuse?: (address: string, attempt: number) => Refusal | undefined;
  /** After this many accepted messages, hold every further one without answering. */
  holdAfter?: number;
  /**
   * Milliseconds to take before accepting each complete message (the n-th, from 0): a server
   * that is slow to answer after the final dot. The message is accepted (counted in `received`)
   * even if the client has gone away in the meantime, as a real server would deliver it.
   */
  acceptDelayMs?: (index: number) => number;
  /** Called when the n-th complete message (from 0) is about to be accepted, before the server answers. */
  beforeAccept?: (index: number) => void;
  /** The address to listen on (default 127.0.0.1). */
  host?: string;
  /** Options passed on to `smtp-server` (e.g. `authMethods`, `onAuth`, `hideSTARTTLS`). */
  server?: Partial<SMTPServerOptions>;
}

/** A real SMTP server on 127.0.0.1 (the `smtp-server` package), keeping what it accepts. */
export interface TestSmtpServer {
  url: string;
  /** The port it listens on. */
  port: number;
  received: Received[];
  /** Messages whose data arrived but that were never answered (held). */
  held: number;
  /** Messages whose data arrived in full (the final dot), answered or not. */
  completed: number;
  /** Socket errors seen (clients killed mid-conversation reset their connections); handled, never thrown. */
  socketErrors: string[];
  /**
   * Stop holding: later messages are accepted again. With `acceptHeld`, the
   * messages held so far are answered and accepted too; without, they stay
   * unanswered (as to a client that was killed meanwhile).
   */
  release(acceptHeld?: boolean): void;
  close(): Promise<void>;
}

/**
 * Starts an SMTP server on a free loopback port. A message counts as
 * received only when the server answers 250 to its data, as a real server
 * takes responsibility for it then.
 *
 * The server's `error` events are handled: a client killed with SIGKILL
 * resets its sockets, and an unhandled ECONNRESET would fail the test run
 * even when every test passed.
 *
 * @param options Refusals, holding and delays.
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const attempts = new Map<string, number>();
  const state: TestSmtpServer = {
    url: '',
    port: 0,
    received: [],
    held: 0,
    completed: 0,
    socketErrors: [],
    release: () => undefined,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  let holding = false;
  let released = false;
  const heldMessages: (() => void)[] = [];
  let admitted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    closeTimeout: 1000,
    ...options.server,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (error?: Error | null) => void) {
      const attempt = (attempts.get(address.address) ?? 0) + 1;
      attempts.set(address.address, attempt);
      const refusal = options.refuse?.(address.address, attempt);
      if (!refusal) return callback();
      const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      // A client that goes away mid-message destroys the stream with an error; the message is dropped.
      stream.on('error', (error: Error) => state.socketErrors.push(error.message));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        state.completed += 1;
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        // Decided here, synchronously: parsing is asynchronous, so counting parsed messages would let extra ones through.
        const admit = () => {
          const index = admitted;
          admitted += 1;
          options.beforeAccept?.(index);
          const accept = () =>
            simpleParser(Buffer.concat(chunks)).then(
              (parsed) => {
                state.received.push({ to, parsed });
                callback();
              },
              (error: Error) => callback(error),
            );
          const delay = options.acceptDelayMs?.(index) ?? 0;
          if (delay > 0) setTimeout(accept, delay);
          else void accept();
        };
        if (!released && (holding || (options.holdAfter !== undefined && admitted >= options.holdAfter))) {
          holding = true;
          state.held += 1;
          heldMessages.push(admit);
          return;
        }
        admit();
      });
    },
  });
  server.on('error', (error: Error) => state.socketErrors.push(error.message));
  state.release = (acceptHeld = false) => {
    holding = false;
    released = true;
    if (acceptHeld) for (const admit of heldMessages.splice(0)) admit();
  };
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  state.port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://${options.host ?? '127.0.0.1'}:${state.port}`;
  return state;
}
