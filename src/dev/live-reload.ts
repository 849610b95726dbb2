import type { ServerResponse } from 'node:http';

/** What the dev server tells open pages. */
export type DevEvent = { type: 'reload' } | { type: 'error'; messages: string[] };

/**
 * Server-sent events to every open page: `reload` after a good build,
 * `error` (with the build's messages) after a failed one.
 */
export class LiveReload {
  readonly #clients = new Set<ServerResponse>();

  /**
   * Keeps a response open as an event stream.
   *
   * @param response The response of a request to the events address.
   */
  connect(response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    response.write(': connected\n\n');
    this.#clients.add(response);
    response.on('close', () => this.#clients.delete(response));
  }

  /**
   * Sends an event to every open page.
   *
   * @param event What happened.
   */
  send(event: DevEvent): void {
    const data = `data: ${JSON.stringify(event)}\n\n`;
    for (const client of this.#clients) client.write(data);
  }

  /** Ends every stream (when the server stops). */
  close(): void {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }
}

/** Where pages listen for events. */
export const EVENTS_PATH = '/__sahifa/events';

/**
 * The script added to every page the dev server sends: reloads on `reload`,
 * and on `error` shows the build's messages over the page (the page itself
 * is the last good build). Written by hand: it is twenty lines with no
 * dependency, and runs only in development.
 */
export const CLIENT_SCRIPT = `<script type="module">
const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
events.onmessage = (message) => {
  const event = JSON.parse(message.data);
  if (event.type === 'reload') location.reload();
  if (event.type === 'error') {
    let overlay = document.getElementById('sahifa-build-error');
    if (!overlay) {
      overlay = document.createElement('pre');
      overlay.id = 'sahifa-build-error';
      overlay.dir = 'ltr';
      overlay.style.cssText = 'position:fixed;inset:0;margin:0;padding:1.5rem;overflow:auto;z-index:2147483647;background:#1c1b1a;color:#ffb4a8;font:14px/1.6 ui-monospace,monospace;white-space:pre-wrap;text-align:left';
      document.body.append(overlay);
    }
    overlay.textContent = 'sahifa: the build failed; this page is the last good build.\\n\\n' + event.messages.join('\\n');
  }
};
</script>`;

/**
 * A page with the live-reload script added before `</body>`.
 *
 * @param html The page.
 */
export function withClientScript(html: string): string {
  const at = html.lastIndexOf('</body>');
  return at === -1 ? `${html}${CLIENT_SCRIPT}` : `${html.slice(0, at)}${CLIENT_SCRIPT}\n${html.slice(at)}`;
}
