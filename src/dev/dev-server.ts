import { watch } from 'chokidar';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import sirv from 'sirv';
import { build, type BuildResult } from '../build/build.js';
import { CONFIG_FILE } from '../config/load-config.js';
import { POSTS_DIR } from '../content/find-posts.js';
import { BuildFailure } from '../diagnostics/build-failure.js';
import { formatMessage } from '../diagnostics/format.js';
import { SITE_TEMPLATES_DIR } from '../render/template-set.js';
import { EVENTS_PATH, LiveReload, withClientScript } from './live-reload.js';

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  root: string;
  /** Port to listen on (0: any free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1, this machine only). */
  host?: string;
  /** Include drafts. */
  drafts?: boolean;
  /** Include posts dated after today. */
  future?: boolean;
  /** Called after every build with its outcome. */
  onBuild?: (outcome: { ok: true; result: BuildResult } | { ok: false; messages: string[] }) => void;
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

/** Address of the email previews. */
const EMAIL_PATH = '/__sahifa/email/';

/**
 * `sahifa dev`: builds the site (into `.sahifa/dev`, leaving `dist/`
 * alone), serves the blog, rebuilds when a post, template or the config
 * changes, and reloads open pages. A failed rebuild keeps the last good
 * pages and shows its messages over them. Emails are previewed at
 * `/__sahifa/email/`.
 *
 * @param options Site, address and drafts.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const root = resolve(options.root);
  const out = join(root, DEV_OUT);
  const blog = join(out, 'blog');
  const live = new LiveReload();

  const rebuild = async () => {
    try {
      const result = await build({ root, out, drafts: options.drafts ?? false, future: options.future ?? false });
      options.onBuild?.({ ok: true, result });
      live.send({ type: 'reload' });
    } catch (error) {
      const messages =
        error instanceof BuildFailure
          ? error.messages.filter((message) => message.fatal).map((message) => formatMessage(message, { cwd: root }))
          : [String((error as Error).message)];
      options.onBuild?.({ ok: false, messages });
      live.send({ type: 'error', messages });
    }
  };
  await rebuild();

  const files = sirv(blog, { dev: true, dotfiles: false });
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (path === EVENTS_PATH) return live.connect(response);
    if (path.startsWith(EMAIL_PATH)) return serveEmail(path.slice(EMAIL_PATH.length), join(out, 'email'), response);
    const page = await htmlFile(blog, path);
    if (page) {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      return response.end(withClientScript(await readFile(page, 'utf8')));
    }
    files(request, response, async () => {
      response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      const notFound = await readFile(join(blog, '404.html'), 'utf8').catch(() => 'not found');
      response.end(withClientScript(notFound));
    });
  };

  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = watch([join(root, POSTS_DIR), join(root, SITE_TEMPLATES_DIR), join(root, CONFIG_FILE)], { ignoreInitial: true });
  watcher.on('all', () => {
    clearTimeout(timer);
    // Editors write a file in several steps: wait for them to settle, and never run two builds at once.
    timer = setTimeout(() => {
      running = running.then(rebuild);
    }, 80);
  });
  await new Promise<void>((ready) => watcher.on('ready', () => ready()));

  await new Promise<void>((listening) => server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', listening));
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/`,
    async close() {
      clearTimeout(timer);
      await watcher.close();
      await running;
      live.close();
      await new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}

/** The HTML file a path stands for (`/x/` → `x/index.html`), if it exists under the blog. */
async function htmlFile(blog: string, path: string): Promise<string | undefined> {
  const candidate = resolve(blog, `.${path}${path.endsWith('/') ? 'index.html' : ''}`);
  if (!candidate.startsWith(blog + sep) || !candidate.endsWith('.html')) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  return info?.isFile() ? candidate : undefined;
}

/** `/__sahifa/email/` lists the emails; `/__sahifa/email/<slug>` shows one as it will be sent. */
async function serveEmail(slug: string, folder: string, response: ServerResponse): Promise<void> {
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  if (!slug) {
    const slugs = (await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith('.html')).map((name) => name.slice(0, -'.html'.length));
    const items = slugs.map((name) => `<li><a href="${encodeURIComponent(name)}">${name.replace(/[<&]/g, '')}</a></li>`).join('');
    response.end(withClientScript(`<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Email previews</title><h1>Email previews</h1><ul>${items}</ul></html>`));
    return;
  }
  if (!/^[\p{L}\p{M}\p{N}_-]+$/u.test(slug)) {
    response.statusCode = 404;
    response.end('not found');
    return;
  }
  const html = await readFile(join(folder, `${slug}.html`), 'utf8').catch(() => undefined);
  response.statusCode = html ? 200 : 404;
  response.end(html ? withClientScript(html) : 'no email for this post');
}
