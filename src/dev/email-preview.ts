import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { readdir, readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { visit } from 'unist-util-visit';
import { withClientScript } from './client-script.js';
import type { BuildState } from './live-reload.js';

/** Address of the email previews. */
export const EMAIL_PATH = '/__sahifa/email/';

/** Attributes of an email that hold one address. */
const URL_PROPERTIES = ['href', 'src', 'background', 'poster'] as const;

/**
 * An email's HTML for previewing in the dev server: every address on the
 * site (`config.url`) becomes a path on the dev server, which serves the
 * blog at `/`, so images show before the site is first published. The
 * built email keeps its absolute addresses; only the preview changes.
 *
 * @param html    The email as built.
 * @param siteUrl The site's address (`config.url`).
 * @returns The HTML with the site's addresses made root-relative.
 */
export function previewHtml(html: string, siteUrl: string): string {
  const site = new URL(siteUrl);
  const base = site.pathname.endsWith('/') ? site.pathname : `${site.pathname}/`;
  const local = (value: string): string => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return value;
    }
    if (url.origin !== site.origin || !`${url.pathname}/`.startsWith(base)) return value;
    return `/${url.pathname.slice(base.length)}${url.search}${url.hash}`;
  };
  const tree: Root = fromHtml(html);
  visit(tree, 'element', (node: Element) => {
    for (const key of URL_PROPERTIES) {
      const value = node.properties[key];
      if (typeof value === 'string') node.properties[key] = local(value);
    }
    const srcSet: unknown = node.properties.srcSet;
    const candidates = Array.isArray(srcSet) ? srcSet.map(String) : typeof srcSet === 'string' ? srcSet.split(',') : [];
    if (candidates.length > 0) node.properties.srcSet = candidates.map((entry) => entry.trim().replace(/^\S+/, (url) => local(url))).join(', ');
    const style = node.properties.style;
    if (typeof style === 'string') node.properties.style = style.replace(/url\((['"]?)([^'")]+)\1\)/g, (_, quote: string, url: string) => `url(${quote}${local(url)}${quote})`);
  });
  return toHtml(tree, { allowDangerousHtml: true, upperDoctype: true });
}

/**
 * Answers `/__sahifa/email/` (the list of emails) and `/__sahifa/email/<slug>`
 * (one email as it will be sent, with the site's addresses served locally).
 *
 * @param slug     The path after {@link EMAIL_PATH}, decoded.
 * @param folder   The build's `email/` folder.
 * @param siteUrl  The site's address (`config.url`), when the config loads.
 * @param state    The build state, for the client script.
 * @param response The response.
 */
export async function serveEmailPreview(slug: string, folder: string, siteUrl: string | undefined, state: BuildState, response: ServerResponse): Promise<void> {
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  if (!slug) {
    const slugs = (await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith('.html')).map((name) => name.slice(0, -'.html'.length));
    const items = slugs.map((name) => `<li><a href="${encodeURIComponent(name)}">${escapeHtml(name)}</a></li>`).join('');
    response.end(withClientScript(`<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Email previews</title><h1>Email previews</h1><ul>${items}</ul></html>`, state));
    return;
  }
  const html = /^[\p{L}\p{M}\p{N}_-]+$/u.test(slug) ? await readFile(join(folder, `${slug}.html`), 'utf8').catch(() => undefined) : undefined;
  if (html === undefined) {
    response.statusCode = 404;
    response.end(withClientScript('<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>No email</title><p>No email for this post.</p></html>', state));
    return;
  }
  response.end(withClientScript(siteUrl ? previewHtml(html, siteUrl) : html, state));
}

/** Text safe inside HTML. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
