import type { IncomingMessage } from 'node:http';

/** The largest request body accepted by default, in bytes: a form of one address needs far less. */
export const MAX_BODY_BYTES = 8 * 1024;

/** A request body read within its limit, or why it was not. */
export type BodyResult = { ok: true; fields: Map<string, string> } | { ok: false; status: 400 | 413 | 415 };

/**
 * Reads a form body (`application/x-www-form-urlencoded`, or
 * `application/json` holding one object of strings) into fields. A body
 * over `limit` bytes (by `Content-Length` or as it arrives) is refused with
 * 413 without reading the rest; malformed JSON or UTF-8 is a 400; another
 * media type a 415. Only the first value of a repeated field counts.
 *
 * @param request The request.
 * @param limit   The largest body accepted, in bytes.
 */
export async function readFields(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const type = (request.headers['content-type'] ?? 'application/x-www-form-urlencoded').split(';')[0]?.trim().toLowerCase();
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return { ok: false, status: 413 };
  const raw = await readLimited(request, limit);
  if (raw === undefined) return { ok: false, status: 413 };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return { ok: false, status: 400 };
  }
  const fields = new Map<string, string>();
  if (type === 'application/x-www-form-urlencoded' || type === 'text/plain') {
    for (const [key, value] of new URLSearchParams(text)) if (!fields.has(key)) fields.set(key, value);
    return { ok: true, fields };
  }
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, status: 400 };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, status: 400 };
    for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') fields.set(key, value);
    return { ok: true, fields };
  }
  return { ok: false, status: 415 };
}

/** The body's bytes, or `undefined` once it passes `limit` (the rest is drained, not kept). */
function readLimited(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
