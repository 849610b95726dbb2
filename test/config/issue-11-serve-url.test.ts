import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { BuildFailure } from '../../src/diagnostics/build-failure.js';
import { sendNewsletter } from '../../src/send/send.js';
import { sahifa } from '../helpers/cli.js';
import { copyFixture, GOOD_POST, makeSite } from '../helpers/site.js';

const BASE = { title: 'موقع تجاربنا', url: 'https://example.org/', lang: 'ar' };

/** The config from these keys, or the one-line reasons it is refused with. */
function parse(config: Record<string, unknown>): SiteConfig | string[] {
  try {
    return parseConfig(JSON.stringify({ ...BASE, ...config }, null, 2), 'sahifa.config.json');
  } catch (error) {
    if (!(error instanceof BuildFailure)) throw error;
    return error.messages.map((message) => `${message.line}:${message.column} ${String(message.reason)}`);
  }
}

const NOWHERE =
  '`subscribe.action`: the subscribe form posts nowhere: set "serve.url" (the https address of sahifa serve; the form then posts to <serve.url>subscribe) or "subscribe.action" (your list provider\'s endpoint)';

describe('issue 11: serve.url and the addresses that follow from it', () => {
  it('makes the form post to <serve.url>subscribe and the emails unsubscribe at <serve.url>unsubscribe', () => {
    const config = parse({ serve: { url: 'https://news.example.org' }, email: { address: 'ص.ب. 1' } }) as SiteConfig;
    expect(config.serve.url).toBe('https://news.example.org/');
    expect(config.subscribe).toMatchObject({ action: 'https://news.example.org/subscribe', method: 'post', field: 'email' });
    expect(config.email?.unsubscribeUrl).toBe('https://news.example.org/unsubscribe');
  });

  it('keeps a path the proxy puts the service under', () => {
    const config = parse({ serve: { url: 'https://example.org/newsletter' }, subscribe: { field: 'address' }, email: { address: 'ص.ب. 1' } }) as SiteConfig;
    expect(config.subscribe).toMatchObject({ action: 'https://example.org/newsletter/subscribe', method: 'post', field: 'address' });
    expect(config.email?.unsubscribeUrl).toBe('https://example.org/newsletter/unsubscribe');
  });

  it('lets subscribe.action and email.unsubscribeUrl, when set, win over serve.url', () => {
    const config = parse({
      serve: { url: 'https://news.example.org/' },
      subscribe: { action: 'https://provider.example.com/s/123' },
      email: { address: 'ص.ب. 1', unsubscribeUrl: 'https://example.org/leave' },
    }) as SiteConfig;
    expect(config.subscribe.action).toBe('https://provider.example.com/s/123');
    expect(config.email?.unsubscribeUrl).toBe('https://example.org/leave');
  });

  it('works as before without serve.url, and builds no email settings out of nothing', () => {
    const config = parse({ subscribe: { action: 'https://example.org/subscribe' } }) as SiteConfig;
    expect(config.subscribe.action).toBe('https://example.org/subscribe');
    expect(config.serve.url).toBeUndefined();
    expect(config.email).toBeUndefined();
    const withEmail = parse({ subscribe: { action: 'https://example.org/subscribe' }, email: { address: 'ص.ب. 1' } }) as SiteConfig;
    expect(withEmail.email?.unsubscribeUrl).toBeUndefined();
  });

  it('names both keys when neither is set, at the subscribe block or at the top', () => {
    expect(parse({})).toEqual([`1:1 ${NOWHERE}`]);
    expect(parse({ subscribe: { method: 'post' } })).toEqual([`5:16 ${NOWHERE}`]);
  });

  // serve.url goes through the one URL policy (src/content/url-policy.ts) that every URL setting and front matter use.
  it.each([
    ['http://news.example.org/', '`serve.url`: expected https:// (readers send their address to it); http:// only for localhost or 127.0.0.1, e.g. "https://news.example.org/"'],
    ['http://127.0.0.1.example.org/', '`serve.url`: expected https:// (readers send their address to it); http:// only for localhost or 127.0.0.1, e.g. "https://news.example.org/"'],
    ['ftp://news.example.org/', '`serve.url`: the scheme "ftp:" is not allowed here (only http:, https:), e.g. "https://news.example.org/"'],
    ['javascript:alert(1)', '`serve.url`: the scheme "javascript:" is not allowed here (only http:, https:), e.g. "https://news.example.org/"'],
    ['news.example.org', '`serve.url`: expected an https URL such as "https://news.example.org/"'],
    ['//news.example.org/', '`serve.url`: a URL without a scheme that names another host is not allowed: write it with https://, e.g. "https://news.example.org/"'],
    ['https://news.example.org/a b', '`serve.url`: a URL may not hold spaces or control characters: percent-encode them (%20), e.g. "https://news.example.org/"'],
    ['https://news.example.org/\u202enl', '`serve.url`: a URL may not hold spaces or control characters: percent-encode them (%20), e.g. "https://news.example.org/"'],
    ['https://news.example.org/?list=1', '`serve.url`: expected an address without ?query or #fragment (paths are appended to it), e.g. "https://news.example.org/"'],
    ['https://news.example.org/?', '`serve.url`: expected an address without ?query or #fragment (paths are appended to it), e.g. "https://news.example.org/"'],
    ['https://news.example.org/#x', '`serve.url`: expected an address without ?query or #fragment (paths are appended to it), e.g. "https://news.example.org/"'],
    ['https://user:secret@news.example.org/', '`serve.url`: a URL may not carry a user name or password (user:password@): remove them, e.g. "https://news.example.org/"'],
    ['https://user@news.example.org/', '`serve.url`: a URL may not carry a user name or password (user:password@): remove them, e.g. "https://news.example.org/"'],
    [42, '`serve.url`: expected an https URL such as "https://news.example.org/"'],
  ])('refuses serve.url %j with one line naming the key', (url, reason) => {
    const reasons = parse({ serve: { url } }) as string[];
    expect(reasons.map((line) => line.replace(/^\d+:\d+ /, ''))).toEqual([reason]);
  });

  it('allows plain http on a loopback host, for trying the service on one machine', () => {
    for (const url of ['http://127.0.0.1:8025', 'http://localhost:8025/', 'http://[::1]:8025/']) {
      expect((parse({ serve: { url } }) as SiteConfig).subscribe.action, url).toBe(new URL('subscribe', url.endsWith('/') ? url : `${url}/`).href);
    }
  });

  it('refuses a user name or password in any URL setting: it would be published in every page and email', () => {
    const reasons = parse({ url: 'https://me:pw@example.org/', subscribe: { action: 'https://key@provider.example.com/s' } }) as string[];
    expect(reasons.map((line) => line.replace(/^\d+:\d+ /, ''))).toEqual([
      '`url`: a URL may not carry a user name or password (user:password@): remove them, e.g. "https://example.org/"',
      '`subscribe.action`: a URL may not carry a user name or password (user:password@): remove them, e.g. "https://example.org/"',
    ]);
  });

  it('refuses unknown keys under serve', () => {
    expect(parse({ serve: { url: 'https://news.example.org/', ulr: 'x' } })).toEqual([
      expect.stringMatching(/^\d+:\d+ unknown key `serve\.ulr`: check its spelling/),
    ]);
  });

  it('builds the page whose form posts to the service, and says in one line what is missing otherwise', async () => {
    const root = await makeSite({ 'posts/2025-01-01-hello.md': GOOD_POST });
    await writeFile(join(root, 'sahifa.config.json'), JSON.stringify({ ...BASE, serve: { url: 'https://news.example.org' } }, null, 2));
    const built = await sahifa(['build'], { cwd: root });
    expect(built.status, built.stderr).toBe(0);
    const page = await readFile(join(root, 'dist', 'blog', 'index.html'), 'utf8');
    expect(page).toContain('action="https://news.example.org/subscribe"');

    await writeFile(join(root, 'sahifa.config.json'), JSON.stringify(BASE, null, 2));
    const refused = await sahifa(['build'], { cwd: root });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`sahifa.config.json:1:1: error ${NOWHERE} [config-invalid]`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });

  it('has send name both keys when emails would have no unsubscribe page', async () => {
    const root = await copyFixture('send-site');
    const path = join(root, 'sahifa.config.json');
    const config = JSON.parse(await readFile(path, 'utf8')) as { email: Record<string, unknown> };
    delete config.email.unsubscribeUrl;
    await writeFile(path, JSON.stringify(config, null, 2));
    await expect(sendNewsletter({ root, slug: 'talks', smtpUrl: 'smtp://127.0.0.1:9', secret: 'test-secret-for-unsubscribe-tokens' })).rejects.toThrow(
      'set "serve.url" (the address of sahifa serve, which answers unsubscribes) or "email.unsubscribeUrl" in sahifa.config.json',
    );
  });
});
