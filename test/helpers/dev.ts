import { request as httpRequest } from 'node:http';
import type { BuildState } from '../../src/dev/live-reload.js';

/** A dev server's event stream as a test reads it. */
export interface EventStream {
  /** Every state received so far, the one sent on connecting first. */
  states: BuildState[];
  /** Resolves with the first state received (now or later) that matches. */
  next(matches: (state: BuildState) => boolean): Promise<BuildState>;
  close(): void;
}

/**
 * Opens the dev server's event stream over HTTP and resolves once the first
 * state (sent on connecting) has arrived.
 *
 * @param url The dev server's address.
 */
export async function openEvents(url: string): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(new URL('__sahifa/events', url), { signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const states: BuildState[] = [];
  const waiting = new Set<{ matches: (state: BuildState) => boolean; resolve: (state: BuildState) => void }>();
  let first = () => {};
  const connected = new Promise<void>((resolve) => (first = resolve));
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!chunk.startsWith('data: ')) continue;
        const state = JSON.parse(chunk.slice(6)) as BuildState;
        states.push(state);
        first();
        for (const waiter of waiting) {
          if (!waiter.matches(state)) continue;
          waiting.delete(waiter);
          waiter.resolve(state);
        }
      }
    }
  })();
  await connected;
  return {
    states,
    next(matches) {
      const found = states.find(matches);
      return found ? Promise.resolve(found) : new Promise((resolve) => waiting.add({ matches, resolve }));
    },
    close: () => abort.abort(),
  };
}

/** What a raw HTTP request got back. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A GET over a real socket with headers `fetch` will not set (`Host`) and a
 * path sent exactly as given (`fetch` would normalise it).
 *
 * @param url     The server's address (only its host and port are used).
 * @param path    The request target, sent as it is.
 * @param headers Headers to send; `Host` defaults to the server's.
 */
export function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname.replace(/^\[|\]$/g, ''), port, path, headers, method: 'GET', agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}
