import { startServer } from '../src/serve/server.js';

/** A secret of the length `sahifa serve` requires. */
const SECRET = 'bench-secret-that-is-long-enough-to-sign-tokens';

/**
 * Starts `sahifa serve` for the benchmark (see serve-target.ts), with the
 * rate limits lifted: every request comes from one loopback address, which
 * the per-IP limit would otherwise turn into 429s after 30.
 *
 * @param root    A site whose config points `serve.url` at loopback.
 * @param smtpUrl A loopback SMTP server that swallows the confirmation emails.
 */
export async function startService(root: string, smtpUrl: string): Promise<{ url: string; settled: () => Promise<void>; close: () => Promise<void> }> {
  const server = await startServer({ root, secret: SECRET, smtpUrl, port: 0, host: '127.0.0.1', limits: { perIp: 1e9, perAddress: 1e9 } });
  return { url: server.url.replace(/\/$/, ''), settled: () => server.settled(), close: () => server.close() };
}
