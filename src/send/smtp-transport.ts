import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import DKIM from 'nodemailer/lib/dkim';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { isNoSuchMailbox } from './bounce.js';
import { handOverStream } from './hand-over-stream.js';
import { parseSmtpUrl, type SmtpServerAddress } from './smtp-url.js';
import type { DeliveryOutcome, MailTransport, OutgoingMessage } from './transport.js';

/** How long to wait for the server, in milliseconds. */
export interface SmtpTimeouts {
  /** To open the connection (DNS, TCP, TLS). */
  connection: number;
  /** For the server's greeting once connected. */
  greeting: number;
  /** Of silence at any point of the conversation. */
  socket: number;
  /** For the server's reply once the whole message has been handed over. */
  data: number;
}

/** Timeouts used when none are given: a silent server costs a minute or two, not ten per message. */
export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connection: 30_000, greeting: 30_000, socket: 60_000, data: 120_000 };

/** Options of {@link createSmtpTransport}. */
export interface SmtpOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; from `SAHIFA_SMTP_URL`, never from the config file. */
  url: string;
  /** Connections used at once. */
  connections: number;
  /** DKIM signing, if configured. */
  dkim?: { domainName: string; keySelector: string; privateKeyFile: string };
  /** Timeouts (default {@link DEFAULT_SMTP_TIMEOUTS}). */
  timeouts?: SmtpTimeouts;
}

/**
 * Where a connection is in the SMTP conversation: read from nodemailer's
 * transaction log (`envelope` after MAIL FROM, `data` after the server's
 * 354), and `handed` once the whole message but the final dot is written.
 */
type Phase = 'idle' | 'envelope' | 'data' | 'handed';

interface Worker {
  transporter: Transporter;
  phase: Phase;
  busy: boolean;
  /** What to do at the hand-over of the message being sent. */
  onHandedOver?: () => void;
  /** Why the hand-over callback failed, if it did. */
  handOverError?: unknown;
}

/**
 * SMTP through nodemailer. Each connection is its own single-connection
 * nodemailer pool, so that when one fails we know which conversation it was
 * and how far it got. Before the server has the whole message, a lost
 * connection is safe to retry (the server drops an incomplete message);
 * after it, the message may have arrived, and the outcome is `unknown`.
 *
 * The moment between is marked by the last stage of the message stream
 * ({@link handOverStream}): the caller's `onHandedOver` runs there, before
 * the final dot is written. DKIM signing is done in that same stage (not by
 * nodemailer's own option), so that nothing comes after it.
 *
 * nodemailer's own re-queueing is turned off (`maxRequeues: 0`): on a dropped
 * connection it would send the message again by itself, possibly twice.
 * Retries are decided by the campaign, from its database.
 *
 * @param options Server, connections, DKIM and timeouts.
 * @throws {Error} naming `SAHIFA_SMTP_URL` when the URL is wrong.
 */
export function createSmtpTransport(options: SmtpOptions): MailTransport {
  const server = parseSmtpUrl(options.url);
  const timeouts = options.timeouts ?? DEFAULT_SMTP_TIMEOUTS;
  const signer = options.dkim
    ? new DKIM({ domainName: options.dkim.domainName, keySelector: options.dkim.keySelector, privateKey: readFileSync(options.dkim.privateKeyFile, 'utf8') })
    : undefined;
  const connect = (worker: Worker): Transporter => {
    const log = (entry: { tnx?: string }, message: string) => {
      if (entry.tnx === 'client' && /^MAIL FROM/i.test(message)) worker.phase = 'envelope';
      if (entry.tnx === 'server' && /^354/.test(message)) worker.phase = 'data';
    };
    const quiet = () => undefined;
    const transporter = nodemailer.createTransport({
      host: server.host,
      port: server.port,
      secure: server.secure,
      requireTLS: server.requireTLS,
      ...(server.auth ? { auth: server.auth } : {}),
      connectionTimeout: timeouts.connection,
      greetingTimeout: timeouts.greeting,
      socketTimeout: timeouts.socket,
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
      maxRequeues: 0,
      transactionLog: true,
      logger: { level: quiet, trace: quiet, debug: log, info: quiet, warn: quiet, error: quiet, fatal: quiet },
    } as Parameters<typeof nodemailer.createTransport>[0]);
    // Failures reach us through sendMail's promise; an 'error' event with no listener would crash.
    transporter.on('error', () => undefined);
    transporter.use('stream', (mail, done) => {
      mail.message.processFunc((input: Readable) =>
        handOverStream(signer ? signer.sign(input) : input, () => {
          try {
            worker.onHandedOver?.();
          } catch (error) {
            worker.handOverError = error;
            throw error;
          }
          worker.phase = 'handed';
        }),
      );
      done();
    });
    return transporter;
  };
  const workers: Worker[] = Array.from({ length: options.connections }, () => {
    const worker: Worker = { phase: 'idle', busy: false, transporter: undefined as unknown as Transporter };
    worker.transporter = connect(worker);
    return worker;
  });
  const waiting: Array<(worker: Worker) => void> = [];

  const acquire = (): Promise<Worker> => {
    const free = workers.find((worker) => !worker.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (worker: Worker) => {
    worker.phase = 'idle';
    worker.onHandedOver = undefined;
    worker.handOverError = undefined;
    const next = waiting.shift();
    if (next) next(worker);
    else worker.busy = false;
  };

  return {
    async send(message: OutgoingMessage, onHandedOver?: () => void): Promise<DeliveryOutcome> {
      const worker = await acquire();
      worker.onHandedOver = onHandedOver;
      try {
        // A composed message needs only its envelope beside it: nodemailer builds no MIME tree then (and, given the
        // Message-ID the message already has, draws no random bytes to make one).
        const mail = message.raw === undefined ? message : { from: message.from, to: message.to, raw: message.raw, messageId: message.messageId };
        const info = await withReplyDeadline(worker, worker.transporter.sendMail({ ...mail, disableFileAccess: true, disableUrlAccess: true }), timeouts.data, () => {
          // The stalled connection is given up; the next message gets a new one.
          worker.transporter.close();
          worker.transporter = connect(worker);
        });
        return { status: 'sent', response: String(info.response ?? '') };
      } catch (error) {
        if (worker.handOverError !== undefined) throw worker.handOverError;
        return classify(error as SmtpError, worker.phase, server);
      } finally {
        release(worker);
      }
    },
    async close() {
      for (const worker of workers) worker.transporter.close();
    },
  };
}

/**
 * The send's result, or a timeout error once the message has been handed
 * over and no reply came within `dataMs` (nodemailer's socket timeout only
 * counts silence; a server trickling bytes would escape it).
 */
function withReplyDeadline<T>(worker: Worker, sending: Promise<T>, dataMs: number, giveUp: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const started = worker.onHandedOver;
    worker.onHandedOver = () => {
      started?.();
      timer = setTimeout(() => {
        giveUp();
        reject(Object.assign(new Error(`no reply within ${dataMs / 1000} s after the message was handed over`), { code: 'ETIMEDOUT' }));
      }, dataMs);
    };
    sending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

interface SmtpError extends Error {
  responseCode?: number;
  response?: string;
  code?: string;
  command?: string;
}

/**
 * An SMTP failure as a delivery outcome: by reply code, else by how far the
 * conversation got. A failure before any message was started (no
 * connection, TLS or login refused) is about the server, not the message:
 * it throws {@link SmtpUnavailable} so the campaign stops and keeps the rest
 * for the next run.
 */
function classify(error: SmtpError, phase: Phase, server: SmtpServerAddress): DeliveryOutcome {
  const response = error.response ?? error.message;
  // The reason is in the message, one line; the server's own words are made inert for a terminal.
  if (phase === 'idle') throw new SmtpUnavailable(unavailableMessage(error, server));
  if (error.responseCode && error.responseCode >= 500) return { status: 'permanent', response, noSuchMailbox: isNoSuchMailbox(response, error.command) };
  if (error.responseCode && error.responseCode >= 400) return { status: 'transient', response };
  return { status: phase === 'handed' ? 'unknown' : 'transient', response: `${error.code ?? 'error'}: ${error.message}` };
}

/** One line on why the server cannot be used, naming the setting and the fix. */
function unavailableMessage(error: SmtpError, server: SmtpServerAddress): string {
  const where = `${server.host}:${server.port}`;
  const said = terminalSafe(error.response ?? error.message);
  const reason = terminalSafe(error.message);
  if (error.code === 'ETLS' && server.requireTLS) {
    return `the SMTP server at ${where} does not offer STARTTLS, and sahifa does not send a password in clear: use smtps://…:465 in SAHIFA_SMTP_URL, or a server that offers STARTTLS (only a loopback host may go without TLS)`;
  }
  if (/wrong version number|packet length too long|unknown protocol/i.test(error.message)) {
    return `the SMTP server at ${where} did not answer TLS: SAHIFA_SMTP_URL says smtps://, but this port expects plain SMTP with STARTTLS; write smtp://…:${server.port}`;
  }
  if (error.code === 'EAUTH') return `the SMTP server at ${where} refused the login (${said}): check the user name and password in SAHIFA_SMTP_URL`;
  if (error.code === 'ETIMEDOUT') return `the SMTP server at ${where} did not answer in time (${reason}): check the host and port in SAHIFA_SMTP_URL, or raise send.timeouts`;
  return `cannot send through the SMTP server at ${where}: ${reason}; check SAHIFA_SMTP_URL`;
}

/** The SMTP server cannot be used at all (unreachable, TLS or login refused). */
export class SmtpUnavailable extends Error {
  override readonly name = 'SmtpUnavailable';
}
