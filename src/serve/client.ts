import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../send/smtp-url.js';

/**
 * The client's address for rate limits. Behind a proxy on this machine
 * (Caddy, nginx) every connection comes from loopback, so the address the
 * proxy appended last to `X-Forwarded-For` is used instead, when
 * `trustProxy` is on; the entries before it are the client's own word and
 * are ignored.
 *
 * @param request    The request.
 * @param trustProxy Whether a loopback peer's `X-Forwarded-For` counts.
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  const forwarded = request.headers['x-forwarded-for'];
  if (!trustProxy || !forwarded || !isLoopbackHost(peer)) return peer;
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',').at(-1)?.trim();
  return last || peer;
}

/**
 * Whether a browser's post may be answered: a request with an `Origin`
 * header must come from one of `allowed` (the site's and the service's
 * origins), so another site cannot subscribe its visitors' addresses
 * through their browsers. A request without `Origin` is no browser's form
 * post (curl, a mail client's one-click POST) and passes.
 *
 * @param request The request.
 * @param allowed Origins such as `https://example.org`.
 * @param host    The request's `Host`: a post from the service's own origin passes too.
 */
export function originAllowed(request: IncomingMessage, allowed: ReadonlySet<string>, host?: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const lower = origin.toLowerCase();
  if (allowed.has(lower)) return true;
  // The service's own pages (the "subscribe again" button) post from the address they were served at.
  try {
    return host !== undefined && new URL(lower).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * The page a form was sent from, when it is on one of `allowed`'s origins
 * (for the link back and the consent record); otherwise `undefined`.
 *
 * @param candidate The form's `page` field or the `Referer`.
 * @param allowed   Origins such as `https://example.org`.
 */
export function pageOf(candidate: string | undefined, allowed: ReadonlySet<string>): string | undefined {
  if (!candidate || candidate.length > 2000) return undefined;
  try {
    const url = new URL(candidate);
    return allowed.has(url.origin) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
