import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/dev/dev-server.js';
import { openEvents } from '../helpers/dev.js';
import { copyFixture } from '../helpers/site.js';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('sahifa dev', () => {
  it('serves the site with live reload, rebuilds on change, shows errors and previews emails', async () => {
    const root = await copyFixture('email-site');
    server = await startDevServer({ root, port: 0 });
    const page = await (await fetch(new URL('english/', server.url))).text();
    expect(page).toContain('Moscow said normalisation is a two-way street');
    expect(page).toContain('new EventSource("/__sahifa/events")');
    expect(page).toContain('const served = {"build":1,"messages":[]}');

    const events = await openEvents(server.url);
    const post = join(root, 'posts', 'english.md');
    const original = await readFile(post, 'utf8');
    const reloaded = events.next((state) => state.build === 2);
    await writeFile(post, original.replace('A quote from the ministry.', 'A quote that changed.'));
    await reloaded;
    expect(await (await fetch(new URL('english/', server.url))).text()).toContain('A quote that changed.');

    const failed = events.next((state) => state.messages.length > 0);
    await writeFile(post, original.replace('title: "Russia comments on latest talks"', 'title: [broken'));
    const error = await failed;
    expect(error.messages[0]).toMatch(/^posts\/english\.md:3:1: error invalid YAML in front matter/);
    expect(await (await fetch(new URL('english/', server.url))).text()).toContain('A quote that changed.');

    const previews = await (await fetch(new URL('__sahifa/email/', server.url))).text();
    expect(previews).toContain('<a href="mixed">mixed</a>');
    const email = await (await fetch(new URL('__sahifa/email/mixed', server.url))).text();
    expect(email).toMatch(/<html lang="ar" dir="rtl"/);
    expect((await fetch(new URL('no-such-page/', server.url))).status).toBe(404);
    expect(await readFile(join(root, '.sahifa', 'dev', 'blog', 'index.html'), 'utf8')).toContain('<html');
    events.close();
  });
});
