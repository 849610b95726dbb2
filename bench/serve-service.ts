/**
 * Starts `sahifa serve` for the benchmark (see serve-target.ts).
 *
 * @param root    A built site whose config points `serve.url` at loopback.
 * @param smtpUrl A loopback SMTP server that swallows the confirmation emails.
 */
export async function startService(root: string, smtpUrl: string): Promise<{ url: string; close: () => Promise<void> | void }> {
  const modulePath = '../src/serve/index.js';
  let serve: { startServer?: (options: Record<string, unknown>) => Promise<{ url: string; close: () => Promise<void> | void }> };
  try {
    serve = (await import(modulePath)) as typeof serve;
  } catch {
    throw new Error('sahifa serve is not in this checkout yet (no src/serve/index.ts)');
  }
  if (!serve.startServer) throw new Error('src/serve/ exports no startServer');
  return serve.startServer({ root, port: 0, host: '127.0.0.1', smtpUrl, secret: 'bench-secret-bench-secret-bench-secret-0123' });
}
