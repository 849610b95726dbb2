import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { lineWriter } from '../src/serve/log-lines.js';
import { startServer } from '../src/serve/server.js';

/** A secret of the length `sahifa serve` requires. */
const SECRET = 'bench-secret-that-is-long-enough-to-sign-tokens';

/**
 * Starts `sahifa serve` for the benchmark (see serve-target.ts), with the
 * rate limits lifted: every request comes from one loopback address, which
 * the per-IP limit would otherwise turn into 429s after 30. Its log is
 * written as the command writes it (one line per request, the lines of a
 * turn of the event loop in one synchronous write), into `serve.log` in the
 * site, as `sahifa serve > serve.log` would.
 *
 * @param root    A site whose config points `serve.url` at loopback.
 * @param smtpUrl A loopback SMTP server that swallows the confirmation emails.
 */
export async function startService(root: string, smtpUrl: string): Promise<{ url: string; settled: () => Promise<void>; close: () => Promise<void> }> {
  const file = openSync(join(root, 'serve.log'), 'a');
  const log = lineWriter((text) => writeSync(file, text));
  const server = await startServer({
    root,
    secret: SECRET,
    smtpUrl,
    port: 0,
    host: '127.0.0.1',
    limits: { perIp: 1e9, perAddress: 1e9 },
    onLog: log.line,
  });
  return {
    url: server.url.replace(/\/$/, ''),
    settled: () => server.settled(),
    close: async () => {
      await server.close();
      log.flush();
      closeSync(file);
    },
  };
}
