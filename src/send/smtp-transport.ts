import { readFileSync } from 'node:fs';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DeliveryOutcome, MailTransport, OutgoingMessage } from './transport.js';

/** Options of {@link createSmtpTransport}. */
export interface SmtpOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; from `SAHIFA_SMTP_URL`, never from the config file. */
  url: string;
  /** Connections used at once. */
  connections: number;
  /** DKIM signing, if configured. */
  dkim?: { domainName: string; keySelector: string; privateKeyFile: string };
}

/** Where a connection is in the SMTP conversation, read from nodemailer's transaction log. */
type Phase = 'idle' | 'envelope' | 'data';

interface Worker {
  transporter: Transporter;
  phase: Phase;
  busy: boolean;
}

/**
 * SMTP through nodemailer. Each connection is its own single-connection
 * nodemailer pool, so that when one fails we know which conversation it was
 * and how far it got: nodemailer's transaction log (commands and replies,
 * not message bodies) tells whether the server had said `354` to DATA. A
 * connection lost after that is `unknown`: the message may have arrived.
 * Before it, nothing was handed over and the attempt is safe to repeat.
 *
 * nodemailer's own re-queueing is turned off (`maxRequeues: 0`): on a dropped
 * connection it would send the message again by itself, possibly twice.
 * Retries are decided by the campaign, from its database.
 *
 * @param options Server, connections and DKIM.
 */
export function createSmtpTransport(options: SmtpOptions): MailTransport {
  const dkim = options.dkim
    ? { domainName: options.dkim.domainName, keySelector: options.dkim.keySelector, privateKey: readFileSync(options.dkim.privateKeyFile, 'utf8') }
    : undefined;
  const workers: Worker[] = Array.from({ length: options.connections }, () => {
    const worker: Worker = { phase: 'idle', busy: false, transporter: undefined as unknown as Transporter };
    const log = (entry: { tnx?: string }, message: string) => {
      if (entry.tnx === 'client' && /^MAIL FROM/i.test(message)) worker.phase = 'envelope';
      if (entry.tnx === 'server' && /^354/.test(message)) worker.phase = 'data';
    };
    const quiet = () => undefined;
    // The URL goes inside the options object: as a first argument of its own,
    // nodemailer would take the second argument for message defaults.
    worker.transporter = nodemailer.createTransport({
      url: options.url,
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
      maxRequeues: 0,
      transactionLog: true,
      logger: { level: quiet, trace: quiet, debug: log, info: quiet, warn: quiet, error: quiet, fatal: quiet },
      ...(dkim ? { dkim } : {}),
    } as Parameters<typeof nodemailer.createTransport>[1]);
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
    const next = waiting.shift();
    if (next) next(worker);
    else worker.busy = false;
  };

  return {
    async send(message: OutgoingMessage): Promise<DeliveryOutcome> {
      const worker = await acquire();
      try {
        const info = await worker.transporter.sendMail({ ...message, disableFileAccess: true, disableUrlAccess: true });
        return { status: 'sent', response: String(info.response ?? '') };
      } catch (error) {
        return classify(error as SmtpError, worker.phase);
      } finally {
        release(worker);
      }
    },
    async close() {
      for (const worker of workers) worker.transporter.close();
    },
  };
}

interface SmtpError extends Error {
  responseCode?: number;
  response?: string;
  code?: string;
}

/**
 * An SMTP failure as a delivery outcome: by reply code, else by how far the
 * conversation got. A failure before any message was started (no
 * connection, TLS or login refused) is about the server, not the message:
 * it throws {@link SmtpUnavailable} so the campaign stops and keeps the rest
 * for the next run.
 */
function classify(error: SmtpError, phase: Phase): DeliveryOutcome {
  const response = error.response ?? error.message;
  if (error.responseCode && error.responseCode >= 500 && phase !== 'idle') return { status: 'permanent', response };
  if (error.responseCode && error.responseCode >= 400 && phase !== 'idle') return { status: 'transient', response };
  if (phase === 'idle') throw new SmtpUnavailable(`cannot send through the SMTP server: ${error.message}; check SAHIFA_SMTP_URL`, { cause: error });
  return { status: phase === 'data' ? 'unknown' : 'transient', response: `${error.code ?? 'error'}: ${error.message}` };
}

/** The SMTP server cannot be used at all (unreachable, TLS or login refused). */
export class SmtpUnavailable extends Error {
  override readonly name = 'SmtpUnavailable';
}
