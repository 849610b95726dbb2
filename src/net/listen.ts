import type { Server } from 'node:http';
import { terminalSafe } from '../diagnostics/terminal-text.js';

/**
 * Starts `server` listening and waits until it does. A port in use, a port
 * that needs root or an address this machine does not have becomes one line
 * naming the port or the address and the flag that changes it, instead of
 * an unhandled `error` event with a stack trace.
 *
 * @param server The server.
 * @param port   Port to listen on (0: any free one).
 * @param host   Address to listen on.
 * @throws {Error} one line naming `--port` or `--host` and what to do.
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((listening, failed) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      // No `cause`: the system's own message adds nothing to the line and would print as a second one.
      failed(new Error(listenFailure(error.code, port, host)));
    };
    const onListening = () => {
      server.off('error', onError);
      listening();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** One line for a failed `listen`, by error code. */
function listenFailure(code: string | undefined, port: number, host: string): string {
  const where = terminalSafe(host);
  const next = port >= 65535 ? 1024 : Math.max(port + 1, 1024);
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${where} is already in use (another sahifa, or another server): stop that one, or pass another port with --port N, e.g. --port ${next}`;
    case 'EACCES':
      return `no permission to listen on port ${port} on ${where}: ports below 1024 need administrator rights; pass --port N with N from 1024 to 65535, e.g. --port ${next}`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `cannot listen on --host ${where}: this machine has no such address (${code}); pass --host 127.0.0.1 for this machine only, or --host 0.0.0.0 for every network`;
    default:
      return `cannot listen on ${where} port ${port} (${code ?? 'unknown error'}): check --host and --port`;
  }
}
