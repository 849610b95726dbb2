import { watch } from 'chokidar';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import sirv from 'sirv';
import { build, type BuildResult } from '../pipeline/build.js';
import { CONFIG_FILE } from '../config/load-config.js';
import { PAGES_DIR } from '../content/find-pages.js';
import { POSTS_DIR } from '../content/find-posts.js';
import { BuildFailure } from '../diagnostics/build-failure.js';
import { formatMessage } from '../diagnostics/format.js';
import { listen } from '../net/listen.js';
import { parseRequestTarget } from '../net/request-target.js';
import { SITE_TEMPLATES_DIR } from '../render/template-set.js';
import { AllowedHosts } from './allowed-hosts.js';
import { withClientScript } from './client-script.js';
import { EMAIL_PATH, serveEmailPreview } from './email-preview.js';
import { EVENTS_PATH, LiveReload } from './live-reload.js';

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  root: string;
  /** Port to listen on (0: any free one; default 4000). */
  port?: number;
  /** Address to listen on (default 127.0.0.1, this machine only). */
  host?: string;
  /** Include drafts. */
  drafts?: boolean;
  /** Include posts dated after today. */
  future?: boolean;
  /** Rebuild through the content cache (default true). */
  cache?: boolean;
  /** Called after every build with its outcome. */
  onBuild?: (outcome: { ok: true; result: BuildResult } | { ok: false; messages: string[]; first: boolean }) => void;
}

/** A running dev server. */
export interface DevServer {
  /** Its address, ending in `/`. */
  url: string;
  /** Stops watching and serving. */
  close(): Promise<void>;
}

/** Where the dev server builds, inside the site's private folder (never `dist/`). */
export const DEV_OUT = join('.sahifa', 'dev');

/**
 * `sahifa dev`: takes its port first (so a busy port is reported before any
 * work), builds the site (into `.sahifa/dev`, leaving `dist/` alone), serves
 * the blog, rebuilds when a post, template or the config changes, and
 * reloads open pages. While a build is broken every page it serves shows
 * the errors over the last good build. Emails are previewed at
 * `/__sahifa/email/`. Only requests addressed to this machine (by `Host`)
 * are answered.
 *
 * @param options Site, address and drafts.
 * @throws {Error} one line when the port or address cannot be used.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const root = resolve(options.root);
  const out = join(root, DEV_OUT);
  const blog = join(out, 'blog');
  const host = options.host ?? '127.0.0.1';
  const hosts = new AllowedHosts(host);
  const live = new LiveReload();
  let siteUrl: string | undefined;

  const rebuild = async () => {
    try {
      const result = await build({ root, out, drafts: options.drafts ?? false, future: options.future ?? false, cache: options.cache ?? true, stamp: false });
      siteUrl = result.config.url;
      live.built();
      options.onBuild?.({ ok: true, result });
    } catch (error) {
      const messages =
        error instanceof BuildFailure
          ? error.messages.filter((message) => message.fatal).map((message) => formatMessage(message, { cwd: root }))
          : [String((error as Error).message)];
      live.failed(messages);
      options.onBuild?.({ ok: false, messages, first: live.state.build === 0 });
    }
  };

  const files = sirv(blog, { dev: true, dotfiles: false });
  let firstBuild: Promise<void> = Promise.resolve();
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (!hosts.allowsHost(request.headers.host) || !hosts.allowsOrigin(request.headers.origin)) {
      return plain(response, 403, 'sahifa dev answers only requests addressed to this machine (Host: localhost or 127.0.0.1); pass --host to serve another name\n');
    }
    const target = parseRequestTarget(request.url);
    if (!target) return plain(response, 400, 'bad request: the address is not valid percent-encoded UTF-8\n');
    await firstBuild;
    const { path } = target;
    if (path === EVENTS_PATH) return live.connect(response);
    if (path.startsWith(EMAIL_PATH)) return serveEmailPreview(path.slice(EMAIL_PATH.length), join(out, 'email'), siteUrl, live.state, response);
    if (!path.endsWith('/') && (await htmlFile(blog, `${path}/`))) {
      // As a host would: a page's relative links need the trailing slash.
      // One leading slash: `//host` in Location would send the browser to another site.
      const location = `/${target.rawPath.replace(/^\/+/, '')}/${target.query.size > 0 ? `?${target.query}` : ''}`;
      response.writeHead(301, { Location: location, 'Cache-Control': 'no-store' });
      return response.end();
    }
    const page = await htmlFile(blog, path);
    if (page) {
      const html = await readFile(page, 'utf8');
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      return response.end(withClientScript(html, live.state));
    }
    files(request, response, async () => {
      const notFound = await readFile(join(blog, '404.html'), 'utf8').catch(() => '<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Not found</title><p>Not found.</p></html>');
      response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(withClientScript(notFound, live.state));
    });
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return response.destroy();
      plain(response, 500, `${String((error as Error)?.message ?? error)}\n`);
    });
  });
  await listen(server, options.port ?? 4000, host);

  firstBuild = rebuild();
  await firstBuild;

  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = watch([join(root, POSTS_DIR), join(root, PAGES_DIR), join(root, SITE_TEMPLATES_DIR), join(root, CONFIG_FILE)], { ignoreInitial: true });
  watcher.on('all', () => {
    clearTimeout(timer);
    // Editors write a file in several steps: wait for them to settle, and never run two builds at once.
    timer = setTimeout(() => {
      running = running.then(rebuild);
    }, 80);
  });
  try {
    await new Promise<void>((ready, failed) => watcher.on('ready', () => ready()).on('error', failed));
  } catch (error) {
    await watcher.close();
    server.closeAllConnections();
    server.close();
    throw new Error(`cannot watch ${root} for changes: ${(error as Error).message}`, { cause: error });
  }

  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/`,
    async close() {
      clearTimeout(timer);
      await watcher.close();
      await running;
      live.close();
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}

/** A short plain-text answer. */
function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(text);
}

/** The HTML file a path stands for (`/x/` → `x/index.html`), if it exists under the blog. */
async function htmlFile(blog: string, path: string): Promise<string | undefined> {
  const candidate = resolve(blog, `.${path}${path.endsWith('/') ? 'index.html' : ''}`);
  if (!candidate.startsWith(blog + sep) || !candidate.endsWith('.html')) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  return info?.isFile() ? candidate : undefined;
}
