import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

/** A static file server on loopback, for pages that must load as they would from a host. */
export interface StaticServer {
  /** Address of the served folder, ending in `/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `folder` on 127.0.0.1 at a free port. Pages are loaded over HTTP
 * rather than `file://`, where Chromium blocks web fonts and origins differ.
 *
 * @param folder  The folder to serve.
 * @param headers Headers for every file (a Content-Security-Policy, say).
 */
export async function serveFolder(folder: string, headers: Record<string, string> = {}): Promise<StaticServer> {
  const handler = sirv(folder, {
    dev: true,
    dotfiles: false,
    setHeaders: (response) => {
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    },
  });
  const server: Server = createServer((request, response) => handler(request, response, () => {
    response.statusCode = 404;
    response.end('not found');
  }));
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
