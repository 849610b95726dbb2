import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev/dev-server.js';
import type { DevEvent } from '../../src/dev/live-reload.js';
import { copyFixture } from '../helpers/site.js';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Opens the server's event stream and hands each event to `onEvent`. */
async function listen(url: string, onEvent: (event: DevEvent) => void): Promise<AbortController> {
  const abort = new AbortController();
  const response = await fetch(new URL('__sahifa/events', url), { signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (chunk.startsWith('data: ')) onEvent(JSON.parse(chunk.slice(6)) as DevEvent);
      }
    }
  })();
  return abort;
}

/** Waits for the next event of a kind (bounded, so a broken watcher fails the test instead of hanging it). */
function nextEvent(events: DevEvent[], type: DevEvent['type']): Promise<DevEvent> {
  const seen = events.length;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const found = events.slice(seen).find((event) => event.type === type);
      if (found) {
        clearInterval(poll);
        resolve(found);
      } else if (Date.now() - started > 20_000) {
        clearInterval(poll);
        reject(new Error(`no ${type} event`));
      }
    }, 20);
  });
}

describe('sahifa dev', () => {
  it('serves the site with live reload, rebuilds on change, shows errors and previews emails', async () => {
    const root = await copyFixture('email-site');
    server = await startDevServer({ root, port: 0 });
    const page = await (await fetch(new URL('english/', server.url))).text();
    expect(page).toContain('Moscow said normalisation is a two-way street');
    expect(page).toContain('new EventSource("/__sahifa/events")');

    const events: DevEvent[] = [];
    const abort = await listen(server.url, (event) => events.push(event));
    const post = join(root, 'posts', 'english.md');
    const original = await readFile(post, 'utf8');
    const reloaded = nextEvent(events, 'reload');
    await writeFile(post, original.replace('A quote from the ministry.', 'A quote that changed.'));
    await reloaded;
    expect(await (await fetch(new URL('english/', server.url))).text()).toContain('A quote that changed.');

    const failed = nextEvent(events, 'error');
    await writeFile(post, original.replace('title: "Russia comments on latest talks"', 'title: [broken'));
    const error = (await failed) as Extract<DevEvent, { type: 'error' }>;
    expect(error.messages[0]).toMatch(/^posts\/english\.md:3:1: error invalid YAML in front matter/);
    expect(await (await fetch(new URL('english/', server.url))).text()).toContain('A quote that changed.');

    const previews = await (await fetch(new URL('__sahifa/email/', server.url))).text();
    expect(previews).toContain('<a href="mixed">mixed</a>');
    const email = await (await fetch(new URL('__sahifa/email/mixed', server.url))).text();
    expect(email).toMatch(/<html lang="ar" dir="rtl"/);
    expect((await fetch(new URL('no-such-page/', server.url))).status).toBe(404);
    expect(await readFile(join(root, '.sahifa', 'dev', 'blog', 'index.html'), 'utf8')).toContain('<html');
    abort.abort();
  });
});
