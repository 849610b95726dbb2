import type { ServerResponse } from 'node:http';

/**
 * Where the dev server's builds stand: `build` counts the good builds so far
 * (0: none yet), `messages` holds the errors of the latest build when it
 * failed (empty when it was good).
 */
export interface BuildState {
  build: number;
  messages: string[];
}

/** Where pages listen for events. */
export const EVENTS_PATH = '/__sahifa/events';

/**
 * Server-sent events to every open page: the {@link BuildState} when a page
 * connects and after every build. A page compares the state with the one it
 * was served in: a newer good build reloads it, errors show over it.
 */
export class LiveReload {
  readonly #clients = new Set<ServerResponse>();
  #state: BuildState = { build: 0, messages: [] };

  /** The latest state. */
  get state(): BuildState {
    return this.#state;
  }

  /**
   * Keeps a response open as an event stream, starting with the current
   * state, so a page that connects after a build still learns of it.
   *
   * @param response The response of a request to the events address.
   */
  connect(response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    response.write(`: connected\n\n${eventOf(this.#state)}`);
    this.#clients.add(response);
    response.on('close', () => this.#clients.delete(response));
  }

  /**
   * Records a good build and tells every open page to reload.
   */
  built(): void {
    this.#broadcast({ build: this.#state.build + 1, messages: [] });
  }

  /**
   * Records a failed build and shows its messages on every open page.
   *
   * @param messages The build's errors, one line each.
   */
  failed(messages: string[]): void {
    this.#broadcast({ build: this.#state.build, messages });
  }

  /** Ends every stream (when the server stops). */
  close(): void {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #broadcast(state: BuildState): void {
    this.#state = state;
    const data = eventOf(state);
    for (const client of this.#clients) client.write(data);
  }
}

/** One server-sent event. */
function eventOf(state: BuildState): string {
  return `data: ${JSON.stringify(state)}\n\n`;
}
