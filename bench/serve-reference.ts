import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { normalizeAddress } from '../src/send/address.js';

/** The largest body the reference reads, as a service must bound it. */
const BODY_LIMIT = 16 * 1024;

/** Reads a request's body up to {@link BODY_LIMIT} bytes; `undefined` when it is larger. */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        resolve(undefined);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The fields of a form-encoded or JSON body. */
function fields(type: string, body: string): Record<string, unknown> | undefined {
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  if (type.startsWith('application/json')) {
    try {
      const value: unknown = JSON.parse(body);
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The benchmark's reference: a bare `node:http` handler for `POST /subscribe`
 * that does the same request parsing as the service (a bounded body,
 * form-encoded or JSON, the honeypot, the address normalised as `subscribers
 * import` does) and answers the same JSON, but keeps nothing, signs nothing
 * and mails nobody: the floor any subscribe endpoint in Node.js stands on.
 *
 * @returns Its address and a way to stop it.
 */
export async function startBareSubscribe(): Promise<{ url: string; server: Server }> {
  const server = createServer(async (request, response) => {
    const answer = (status: number, body: Record<string, unknown>) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== '/subscribe') return answer(404, { ok: false, error: 'not found' });
    const body = await readBody(request).catch(() => undefined);
    if (body === undefined) return answer(413, { ok: false, error: 'too large' });
    const form = fields(request.headers['content-type'] ?? '', body);
    if (!form) return answer(400, { ok: false, error: 'unreadable' });
    const email = typeof form.email === 'string' ? normalizeAddress(form.email) : undefined;
    if (!email?.ok) return answer(400, { ok: false, error: 'malformed address' });
    if (typeof form.website === 'string' && form.website !== '') return answer(200, { ok: true, message: 'ok' });
    return answer(200, { ok: true, message: 'تحقق من بريدك لتأكيد الاشتراك.' });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
