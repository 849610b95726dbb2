import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

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
}

/** A real SMTP server on 127.0.0.1 (the `smtp-server` package), keeping what it accepts. */
export interface TestSmtpServer {
  url: string;
  received: Received[];
  /** Messages whose data arrived but that were never answered (held). */
  held: number;
  /** Stop holding: later messages are accepted again. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Starts an SMTP server on a free loopback port. A message counts as
 * received only when the server answers 250 to its data, as a real server
 * takes responsibility for it then.
 *
 * @param options Refusals and holding.
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const attempts = new Map<string, number>();
  const state: TestSmtpServer = {
    url: '',
    received: [],
    held: 0,
    release: () => undefined,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  let holding = false;
  let released = false;
  let admitted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
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
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        // Decided here, synchronously: parsing is asynchronous, so counting parsed messages would let extra ones through.
        if (!released && (holding || (options.holdAfter !== undefined && admitted >= options.holdAfter))) {
          holding = true;
          state.held += 1;
          return;
        }
        admitted += 1;
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            state.received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), parsed });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  state.release = () => {
    holding = false;
    released = true;
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return state;
}
