import { cp, mkdtemp, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { build } from '../src/pipeline/build.js';
import { loadConfig } from '../src/config/load-config.js';
import { openDatabase } from '../src/send/database.js';
import { sendNewsletter } from '../src/send/send.js';
import { upsertSubscriber } from '../src/send/subscribers.js';
import type { Figure } from './measure.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const SLUG = 'russia-us-diplomatic-talks';

/** Subscribers in the send benchmark. */
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
/** SMTP connections used by both runs. */
const CONNECTIONS = 4;

/** An SMTP server on loopback that accepts and discards everything, so the sender is what is measured. */
async function sinkServer(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received += 1;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function figure(name: string, seconds: number, reference?: Figure): Figure {
  const medianMs = (seconds * 1000) / SUBSCRIBERS;
  return { name, medianMs, minMs: medianMs, runs: 1, ratio: reference ? medianMs / reference.medianMs : 1, perSecond: SUBSCRIBERS / seconds };
}

/**
 * The send benchmark: the sample post to {@link SUBSCRIBERS} subscribers
 * through a loopback SMTP server, against a reference in the same run: the
 * same message sent by a bare nodemailer pool with the same connections and
 * no database, the floor any SMTP sender in Node.js stands on. Figures are
 * per message.
 */
export async function benchSend(): Promise<Figure[]> {
  const root = await mkdtemp(join(tmpdir(), 'sahifa-bench-send-'));
  await cp(join(REPO, 'sahifa.config.json'), join(root, 'sahifa.config.json'));
  await cp(join(REPO, 'posts'), join(root, 'posts'), { recursive: true });
  await build({ root });
  const html = await readFile(join(root, 'dist', 'email', `${SLUG}.html`), 'utf8');
  const text = await readFile(join(root, 'dist', 'email', `${SLUG}.txt`), 'utf8');
  const config = await loadConfig(root);
  const db = openDatabase(join(root, config.database));
  db.transaction(() => {
    for (let index = 0; index < SUBSCRIBERS; index += 1) upsertSubscriber(db, `reader${index}@example.com`);
  })();
  db.close();

  const server = await sinkServer();
  try {
    const transport = nodemailer.createTransport({ url: server.url, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity });
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < SUBSCRIBERS) {
        const index = next++;
        await transport.sendMail({ from: 'newsletter@example.org', to: `reader${index}@example.com`, subject: 'bench', html, text });
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS * 2 }, worker));
    const reference = figure(`reference: bare nodemailer pool, ${SUBSCRIBERS} messages`, (performance.now() - started) / 1000);
    transport.close();

    const report = await sendNewsletter({ root, slug: SLUG, smtpUrl: server.url, secret: 'bench', rate: 1e9, concurrency: CONNECTIONS });
    if (report.sent !== SUBSCRIBERS) throw new Error(`sahifa sent ${report.sent} of ${SUBSCRIBERS}`);
    return [reference, figure(`sahifa send (SQLite log, signed links), ${SUBSCRIBERS} messages`, report.seconds, reference)];
  } finally {
    await server.close();
  }
}
