import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { AllowedHosts } from '../../src/dev/allowed-hosts.js';
import { startDevServer, type DevServer } from '../../src/dev/dev-server.js';
import { previewHtml } from '../../src/dev/email-preview.js';
import { openDatabase } from '../../src/send/database.js';
import { startUnsubscribeServer } from '../../src/serve/unsubscribe-server.js';
import { openEvents, rawGet } from '../helpers/dev.js';
import { copyFixture } from '../helpers/site.js';

let server: DevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The build state a served page carries in its client script. */
function servedState(html: string): { build: number; messages: string[] } {
  const json = /const served = (\{.*?\});\n/.exec(html)?.[1];
  expect(json, 'the page carries the client script').toBeDefined();
  return JSON.parse(json!) as { build: number; messages: string[] };
}

/** A GET over HTTP/1.0 with no `Host` header at all. */
function getWithoutHost(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
    socket.write('GET / HTTP/1.0\r\n\r\n');
  });
}

describe('issue 10: a broken build shows on every page until the build is good', () => {
  it('carries the errors in every HTML response, and tells a page that connects late', async () => {
    const root = await copyFixture('email-site');
    server = await startDevServer({ root, port: 0 });
    const events = await openEvents(server.url);
    const post = join(root, 'posts', 'english.md');
    const original = await readFile(post, 'utf8');

    const failed = events.next((state) => state.messages.length > 0);
    // A message that quotes the post and tries to end the script it is embedded in.
    await writeFile(post, original.replace('title: "Russia comments on latest talks"', 'title: "x"\nslug: "</script><img src=x onerror=alert(1)>"'));
    await failed;

    for (const path of ['', 'english/', 'english/index.html', 'index.html', 'mixed/', 'no-such-page/', '__sahifa/email/', '__sahifa/email/mixed', '__sahifa/email/nothing']) {
      const html = (await rawGet(server.url, `/${path}`)).body;
      const state = servedState(html);
      expect(state.build, path).toBe(1);
      expect(state.messages[0], path).toMatch(/^posts\/english\.md:\d+:\d+: error unsafe `slug` "<\/script><img src=x onerror=alert\(1\)>"/);
      expect(html, path).not.toContain('</script><img');
      expect(html, path).toContain('\\u003c/script>\\u003cimg');
    }
    // A folder without its slash is sent to the page (which carries the errors), never served bare.
    expect((await rawGet(server.url, '/english?x=1')).headers.location).toBe('/english/?x=1');
    expect((await rawGet(server.url, '//english')).headers.location).toBe('/english/');
    // A page opened after the failure learns of it from the stream too.
    const late = await openEvents(server.url);
    expect(late.states[0]).toMatchObject({ build: 1, messages: [expect.stringMatching(/unsafe `slug`/)] });
    late.close();

    const fixed = events.next((state) => state.build === 2);
    await writeFile(post, original);
    expect(await fixed).toEqual({ build: 2, messages: [] });
    expect(servedState((await rawGet(server.url, '/english/')).body)).toEqual({ build: 2, messages: [] });
    events.close();
  });

  it('says there is no good build yet when the first one fails', async () => {
    const root = await copyFixture('email-site');
    await writeFile(join(root, 'posts', 'english.md'), '---\ntitle: [broken\n---\n');
    const outcomes: unknown[] = [];
    server = await startDevServer({ root, port: 0, onBuild: (outcome) => outcomes.push(outcome) });
    expect(outcomes).toEqual([{ ok: false, first: true, messages: [expect.stringMatching(/^posts\/english\.md:2:\d+: error invalid YAML/)] }]);
    const response = await rawGet(server.url, '/english/');
    expect(response.status).toBe(404);
    expect(servedState(response.body)).toMatchObject({ build: 0, messages: [expect.stringMatching(/invalid YAML/)] });
  });
});

describe('issue 10: email previews show their images from the dev server', () => {
  it('points the site address at the dev server in the preview only', async () => {
    const root = await copyFixture('email-site');
    server = await startDevServer({ root, port: 0 });
    const built = await readFile(join(root, '.sahifa', 'dev', 'email', 'mixed.html'), 'utf8');
    // Since issue 14 the email's image is its processed file, named with a hash and its width.
    const file = /src="https:\/\/example\.org\/media\/images\/(istanbul\.[0-9a-f]{8}-\d+\.png)"/.exec(built)?.[1];
    expect(file).toBeDefined();

    const preview = (await rawGet(server.url, '/__sahifa/email/mixed')).body;
    expect(preview).toContain(`src="/media/images/${file}"`);
    expect(preview).not.toContain('https://example.org/media/');
    const image = await fetch(new URL(`media/images/${file}`, server.url));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(await readFile(join(root, '.sahifa', 'dev', 'email', 'mixed.html'), 'utf8')).toBe(built);
  });

  it('rewrites every kind of address on the site, and nothing else', () => {
    const html = previewHtml(
      '<!DOCTYPE html><html><head></head><body>' +
        '<img src="https://example.org/blog/media/a.png" srcset="https://example.org/blog/media/a.png 1x, https://example.org/blog/media/a@2x.png 2x">' +
        '<table><tr><td background="https://example.org/blog/bg.png" style="background:url(\'https://example.org/blog/bg.png\') no-repeat"></td></tr></table>' +
        '<a href="https://example.org/blog/%D9%85%D9%82%D8%A7%D9%84/?utm=1#top">on the site</a>' +
        '<a href="https://example.org/other/">same host, outside the site</a>' +
        '<a href="https://example.org/blogger/">a prefix that is not the folder</a>' +
        '<a href="http://example.org/blog/x">another scheme</a>' +
        '<a href="https://cdn.example.org/blog/x.png">another host</a>' +
        '<a href="mailto:a@example.org">mail</a>' +
        '</body></html>',
      'https://example.org/blog/',
    );
    expect(html).toContain('<img src="/media/a.png" srcset="/media/a.png 1x, /media/a@2x.png 2x">');
    expect(html).toContain('<td background="/bg.png" style="background:url(&#x27;/bg.png&#x27;) no-repeat">');
    expect(html).toContain('<a href="/%D9%85%D9%82%D8%A7%D9%84/?utm=1#top">');
    for (const kept of ['https://example.org/other/', 'https://example.org/blogger/', 'http://example.org/blog/x', 'https://cdn.example.org/blog/x.png', 'mailto:a@example.org']) {
      expect(html).toContain(`href="${kept}"`);
    }
  });
});

describe('issue 10: the dev server answers only requests addressed to this machine', () => {
  it('answers 403 to another Host or Origin, pages and live reload alike', async () => {
    const root = await copyFixture('email-site');
    server = await startDevServer({ root, port: 0 });
    const { port } = new URL(server.url);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, 'localhost', `[::1]:${port}`]) {
      expect((await rawGet(server.url, '/english/', { Host: host })).status, host).toBe(200);
    }
    const refused = [`evil.example:${port}`, 'evil.example', `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `192.168.1.20:${port}`, `localhost@evil.example:${port}`, ' '];
    for (const host of refused) {
      for (const path of ['/', '/english/', '/__sahifa/events', '/__sahifa/email/mixed', '/media/images/istanbul.png']) {
        const response = await rawGet(server.url, path, { Host: host });
        expect(response.status, `${host} ${path}`).toBe(403);
        expect(response.body).not.toContain('Moscow');
      }
    }
    expect(await getWithoutHost(server.url)).toMatch(/^HTTP\/1\.1 403 /);
    expect((await rawGet(server.url, '/__sahifa/events', { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await rawGet(server.url, '/english/', { Origin: 'null' })).status).toBe(403);
    expect((await rawGet(server.url, '/english/', { Origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('takes the --host it listens on, and any IP address when it listens on every network', () => {
    const named = new AllowedHosts('devbox.lan');
    expect(named.allowsHost('devbox.lan:4000')).toBe(true);
    expect(named.allowsHost('DevBox.LAN')).toBe(true);
    expect(named.allowsHost('localhost:4000')).toBe(true);
    expect(named.allowsHost('192.168.1.20:4000')).toBe(false);
    expect(named.allowsHost('evil.example:4000')).toBe(false);

    const v6 = new AllowedHosts('::1');
    expect(v6.allowsHost('[::1]:4000')).toBe(true);

    for (const wildcard of ['0.0.0.0', '::']) {
      const everywhere = new AllowedHosts(wildcard);
      expect(everywhere.allowsHost('192.168.1.20:4000')).toBe(true);
      expect(everywhere.allowsHost('[fe80::1]:4000')).toBe(true);
      expect(everywhere.allowsHost('evil.example:4000')).toBe(false);
      expect(everywhere.allowsHost('0.0.0.0.evil.example')).toBe(false);
    }
    expect(new AllowedHosts('127.0.0.1').allowsHost(undefined)).toBe(false);
    expect(new AllowedHosts('127.0.0.1').allowsOrigin('file://')).toBe(false);
  });
});

/** Request targets whose `%` escapes are not valid percent-encoded UTF-8 (or hold NUL). */
const MALFORMED = ['/%', '/%zz', '/english/%E0%A4%A', '/%C0%AF', '/%ED%A0%80/', '/%FF', '/a%00b/', '/__sahifa/email/%E2%82'];

describe('issue 10: malformed % escapes get 400, not 500', () => {
  it('in the dev server', async () => {
    const root = await copyFixture('email-site');
    server = await startDevServer({ root, port: 0 });
    for (const path of MALFORMED) expect((await rawGet(server.url, path)).status, path).toBe(400);
    expect((await rawGet(server.url, '/%D9%85%D9%82%D8%A7%D9%84/')).status).toBe(404);
    expect((await rawGet(server.url, '/engl%69sh/')).status).toBe(200);
    expect((await rawGet(server.url, '/..%2F..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });

  it('in the unsubscribe server', async () => {
    const root = await copyFixture('send-site');
    const config = await loadConfig(root);
    const db = openDatabase(join(root, config.database));
    const unsubscribe = await startUnsubscribeServer({ db, config, secret: 'issue-10-secret-of-at-least-32-bytes', port: 0 });
    try {
      for (const path of [...MALFORMED, '/unsubscribe%', '/unsubscribe%zz?email=a']) expect((await rawGet(unsubscribe.url, path)).status, path).toBe(400);
      expect((await rawGet(unsubscribe.url, '/elsewhere')).status).toBe(404);
      // A well-formed request that merely fails the token check is still "invalid link".
      expect((await rawGet(unsubscribe.url, '/unsubscrib%65?list=x&email=a%40example.org&token=%zz')).status).toBe(400);
      expect((await rawGet(unsubscribe.url, '//evil.example/unsubscribe')).status).toBe(404);
    } finally {
      await unsubscribe.close();
      db.close();
    }
  });
});
