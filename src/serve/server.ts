import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { SiteConfig } from '../config/schema.js';
import { terminalSafe } from '../diagnostics/terminal-text.js';
import { listen } from '../net/listen.js';
import { parseRequestTarget } from '../net/request-target.js';
import { pageHelpers } from '../render/shared/helpers.js';
import { loadTemplateSet } from '../render/template-set.js';
import { siteDatabasePath, type SahifaDatabase } from '../send/database.js';
import { isBusy } from '../send/database-errors.js';
import { listIdOf, senderDomain } from '../send/personalize.js';
import { parseSmtpUrl } from '../send/smtp-url.js';
import type { MailTransport } from '../send/transport.js';
import { MAX_BODY_BYTES } from './body.js';
import { handleConfirm } from './confirm-handler.js';
import { readableBy } from './cors.js';
import type { ServiceContext } from './context.js';
import { loadMailKit, renderServiceEmail, warmServiceEmails } from './mail.js';
import { startDrainer, type Drainer } from './outbox/drainer.js';
import { serviceTransport } from './outbox/smtp.js';
import { startDrainerThread } from './outbox/thread.js';
import { sendJson, sendPage, sentence, type PageKit } from './pages.js';
import { subscribeLimits, type RateLimitSettings } from './rate-limits.js';
import { routeOf, type Route } from './routes.js';
import { openServiceDatabase } from './service-database.js';
import { serviceStrings } from './strings.js';
import { handleSubscribe } from './subscribe-handler.js';
import { checkSecret } from './tokens.js';
import { handleUnsubscribe } from './unsubscribe-handler.js';
import { localSignUps, openSignUpWriter, WAL_CHECKPOINT_PAGES } from './writer/local.js';
import type { SignUpWriter } from './writer/sign-up.js';

/** Options of {@link startServer}. */
export interface ServeOptions {
  /** The site root (config, templates, database). */
  root: string;
  /** The site configuration (default: loaded from `root`). */
  config?: SiteConfig;
  /** The database (default: the site's, opened here and closed by `close()`). */
  db?: SahifaDatabase;
  /** `SAHIFA_SECRET`: at least 32 bytes. */
  secret: string | undefined;
  /** `SAHIFA_SMTP_URL`, for the confirmation emails (unless `transport` is given). */
  smtpUrl?: string;
  /** A transport to send with instead of SMTP at `smtpUrl`. */
  transport?: MailTransport;
  /** Port (default 8025; 0 for any free one). */
  port?: number;
  /** Address (default 127.0.0.1). */
  host?: string;
  /** Largest request body, in bytes (default 8 KiB). */
  maxBodyBytes?: number;
  /** Milliseconds a client has to send a whole request, headers and body (default 10 000). */
  requestTimeoutMs?: number;
  /** Milliseconds a request waits for a busy database before a 503 (default 20 000). */
  patience?: number;
  /** Seconds a 503 asks the client to wait (default 60). */
  retryAfter?: number;
  /** Emails sent at once, each over its own SMTP connection (default `send.concurrency`). */
  mailConcurrency?: number;
  /** Rate limits (default `serve.limits`). */
  limits?: RateLimitSettings;
  /** Milliseconds between the outbox thread's checkpoints of the write-ahead log (default 1 000; 0: none). */
  checkpointIntervalMs?: number;
  /** Pages in the write-ahead log past which the sign-ups' connection checkpoints it itself, and cuts the file back to (default {@link WAL_CHECKPOINT_PAGES}; 0: never). */
  walCheckpointPages?: number;
  /** One line per request, and lines about failures; no address in clear. */
  onLog?: (line: string) => void;
  /** Called each time the database was busy during a request. */
  onBusy?: (attempt: number, waited: number) => void;
}

/** A running service. */
export interface RunningServer {
  /** Where it listens, ending in `/`. */
  url: string;
  /** Resolves once the outbox has nothing in flight and nothing due (retries waiting for their time aside). */
  settled(): Promise<void>;
  /** Stops taking connections, finishes the requests and emails in flight, and closes what it opened. */
  close(): Promise<void>;
}

/**
 * The service's public address: `serve.url`, else the folder of
 * `email.unsubscribeUrl` (where `unsubscribe-server` answered), else an
 * error naming the key.
 */
function publicUrlOf(config: SiteConfig): string {
  if (config.serve.url) return config.serve.url;
  if (config.email?.unsubscribeUrl) return new URL('./', config.email.unsubscribeUrl).href;
  throw new Error('set "serve.url" in sahifa.config.json: the public https address of sahifa serve (behind your proxy), e.g. "https://example.org/newsletter/"; confirmation links start with it');
}

/**
 * `sahifa serve`: the subscription service beside the static blog — `POST
 * /subscribe`, `GET|POST /confirm`, `GET|POST /unsubscribe` and `GET
 * /healthz` (also under the path of `serve.url`, and the path of
 * `email.unsubscribeUrl` for old links). Start-up checks the secret, the
 * SMTP URL and the sender first, each failure one line.
 *
 * @param options Site, secret, SMTP and address.
 * @throws {Error} one line naming the setting, flag or variable to fix.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const secret = checkSecret(options.secret);
  const root = resolve(options.root);
  const config = options.config ?? (await loadConfig(root));
  if (!config.email?.from) throw new Error('set "email.from" (and "email.address") in sahifa.config.json: sahifa serve sends confirmation emails from it');
  if (!options.transport) {
    if (!options.smtpUrl)
      throw new Error('set SAHIFA_SMTP_URL in the environment (the same as for sahifa send), e.g. smtp://user:password@smtp.example.org:587: sahifa serve sends confirmation emails');
    parseSmtpUrl(options.smtpUrl);
  }
  const publicUrl = publicUrlOf(config);
  const { lang, strings } = serviceStrings(config.lang);
  const [pageTemplates, mail] = await Promise.all([loadTemplateSet(root, 'page', pageHelpers), loadMailKit(root, config)]);
  const pages: PageKit = { config, templates: pageTemplates, strings, lang };
  const requestLog = options.onLog;
  const log = requestLog ?? (() => undefined);
  const ownDb = !options.db;
  // No wait inside SQLite on this thread: its busy handler sleeps with the event loop stopped. The group
  // commit and `patiently` retry on timers instead, answering other requests meanwhile.
  const db = options.db ?? openServiceDatabase(siteDatabasePath(root, config), { busyTimeout: 0 });
  const onFailure = (kind: string, reason: string) => log(`${kind} email not sent: ${terminalSafe(reason)}`);
  const pacing = { concurrency: options.mailConcurrency ?? config.send.concurrency, rate: config.send.rate, retryDelayMs: config.send.retryDelay * 1000, maxAttempts: config.send.maxAttempts, patience: options.patience ?? 20_000 };
  let outbox: Drainer | undefined;
  let signUps: SignUpWriter;
  let closeTransport = () => Promise.resolve();
  try {
    if (options.transport || db.memory) {
      const transport = options.transport ?? serviceTransport(config, options.smtpUrl ?? '', pacing.concurrency);
      closeTransport = () => transport.close();
      await warmServiceEmails(mail);
      outbox = startDrainer({ db, transport, render: (email) => renderServiceEmail(mail, email), links: { secret, publicUrl }, ...pacing, onFailure });
      signUps = localSignUps(db, { patience: pacing.patience, onBusy: options.onBusy });
    } else {
      // The emails are rendered and sent in a thread of their own: the request loop never runs mjml or nodemailer.
      outbox = await startDrainerThread(
        { root, config, dbPath: db.name, smtpUrl: options.smtpUrl ?? '', links: { secret, publicUrl }, pacing, checkpointIntervalMs: options.checkpointIntervalMs ?? 1000 },
        onFailure,
      );
      // The thread checkpoints the log every second (the sign-ups' connection too, should the log outgrow
      // WAL_CHECKPOINT_PAGES while the outbox's low-priority thread waits for a core): a checkpoint (copying the
      // log's pages into the database and syncing it) is then never part of a commit a reader waits for.
      if (ownDb) db.pragma('wal_autocheckpoint = 0');
      signUps = openSignUpWriter(db.name, { patience: pacing.patience, onBusy: options.onBusy, walCheckpointPages: options.walCheckpointPages ?? WAL_CHECKPOINT_PAGES });
    }
  } catch (error) {
    await outbox?.stop();
    await closeTransport();
    if (ownDb) db.close();
    throw error;
  }
  const drainer = outbox;
  const origins = new Set([new URL(config.url).origin, new URL(publicUrl).origin]);
  const context: ServiceContext = {
    config,
    db,
    secret,
    pages,
    mail,
    limits: subscribeLimits(options.limits ?? config.serve.limits),
    origins,
    listId: listIdOf(config),
    publicUrl,
    unsubscribeBase: config.email.unsubscribeUrl ?? new URL('unsubscribe', publicUrl).href,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    signUps,
    patience: pacing.patience,
    retryAfter: options.retryAfter ?? 60,
    trustProxy: config.serve.trustProxy,
    senderDomain: senderDomain(config.email.from),
    wakeOutbox: () => drainer.wake(),
    onBusy: options.onBusy,
  };
  const paths = { base: new URL(publicUrl).pathname, legacy: config.email.unsubscribeUrl ? new URL(config.email.unsubscribeUrl).pathname : undefined };

  const handle = async (request: IncomingMessage, response: ServerResponse, route: Route, query: URLSearchParams) => {
    const method = request.method ?? 'GET';
    const allow = (methods: string) => {
      response.writeHead(405, { Allow: methods, 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    };
    switch (route) {
      case 'healthz':
        if (method !== 'GET' && method !== 'HEAD') return allow('GET, HEAD');
        db.prepare('SELECT 1').get();
        response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('ok\n');
        return;
      case 'subscribe':
        if (method !== 'POST') return allow('POST');
        return handleSubscribe(context, request, response);
      case 'confirm':
        if (method !== 'GET' && method !== 'POST') return allow('GET, POST');
        return handleConfirm(context, request, response, query);
      case 'unsubscribe':
        if (method !== 'GET' && method !== 'POST') return allow('GET, POST');
        return handleUnsubscribe(context, request, response, query);
      default:
        return sendPage(response, 404, pages, { title: config.title, paragraphs: [sentence(pages, strings.badRequest)], back: { href: config.url, label: strings.back } });
    }
  };

  const server = createServer({
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    headersTimeout: options.requestTimeoutMs ?? 10_000,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, (options.requestTimeoutMs ?? 10_000) / 4)),
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const target = parseRequestTarget(request.url);
    const route = target ? routeOf(target.path, paths) : 'bad';
    if (requestLog) {
      const started = performance.now();
      response.on('finish', () => {
        // The route's name, never the path or query as sent: they may hold an address or a token.
        requestLog(`${request.method ?? '-'} /${route} ${response.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
      });
    }
    if (!target) {
      response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('bad request\n');
      return;
    }
    handle(request, response, route, target.query).catch((error: unknown) => {
      log(`${route}: ${isBusy(error) ? 'database busy' : terminalSafe(error instanceof Error ? error.message : String(error))}`);
      if (response.headersSent) return void response.destroy();
      const status = isBusy(error) ? 503 : 500;
      // The blog's script may read a failed subscribe's answer too (see readableBy).
      const headers = { ...(route === 'subscribe' ? readableBy(request, origins) : {}), 'Retry-After': String(context.retryAfter) };
      if (request.headers.accept?.includes('application/json')) sendJson(response, status, { ok: false, error: strings.tryLater }, headers);
      else sendPage(response, status, pages, { title: config.title, paragraphs: [sentence(pages, strings.tryLater)], back: { href: config.url, label: strings.back } }, headers);
    });
  });
  // A client may half-close its side once its request is sent (shutdown after the body, as the CLI test
  // does). Node's default then ends the socket at once, and an answer that waits for a commit (another
  // thread's, or a lock) was never written; with this Node ends it after the answer.
  (server as typeof server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.on('clientError', (_error, socket) => socket.destroy());
  try {
    await listen(server, options.port ?? 8025, options.host ?? '127.0.0.1');
  } catch (error) {
    await signUps.stop();
    await drainer.stop();
    await closeTransport();
    if (ownDb) db.close();
    throw error;
  }
  const { port, address } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/`,
    settled: () => drainer.settled(),
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((closed) => server.close(() => closed()));
        server.closeIdleConnections();
        await stopped;
        await signUps.stop();
        // The emails the last requests committed go out before the process ends; any that cannot wait
        // for a retry stay in the outbox for the next start.
        await drainer.settled();
        await drainer.stop();
        await closeTransport();
        if (ownDb) db.close();
      })()),
  };
}
