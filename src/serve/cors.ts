import type { IncomingMessage } from 'node:http';

/** `Vary: Origin` alone: the answer to a request from no allowed origin. */
const VARY_ONLY: Readonly<Record<string, string>> = Object.freeze({ Vary: 'Origin' });

/** The headers of an allowed origin, made once per origin (the allowed set is fixed and small). */
const byOrigin = new WeakMap<ReadonlySet<string>, Map<string, Readonly<Record<string, string>>>>();

/**
 * The headers that let the blog's pages read the answer to their subscribe
 * post. The page's script (`templates/assets/subscribe.js`) posts with
 * `fetch` from the blog's origin to the service, usually another host; the
 * post is a CORS "simple" request (form-encoded, `Accept` only), so no
 * preflight comes, but without `Access-Control-Allow-Origin` the browser
 * hides the answer and the script can only say the service could not be
 * reached, although the address was recorded. Only the allowed origins (the
 * site's and the service's) are named; no credentials are allowed.
 *
 * Returned rather than set on the response, so that the answer writes all
 * its headers in one `writeHead`.
 *
 * @param request The request.
 * @param allowed Origins such as `https://example.org`.
 * @returns `Vary`, and `Access-Control-Allow-Origin` for an allowed origin (do not modify).
 */
export function readableBy(request: IncomingMessage, allowed: ReadonlySet<string>): Readonly<Record<string, string>> {
  const origin = request.headers.origin?.toLowerCase();
  if (origin === undefined || !allowed.has(origin)) return VARY_ONLY;
  let made = byOrigin.get(allowed);
  if (!made) {
    made = new Map();
    byOrigin.set(allowed, made);
  }
  let headers = made.get(origin);
  if (!headers) {
    headers = Object.freeze({ Vary: 'Origin', 'Access-Control-Allow-Origin': origin });
    made.set(origin, headers);
  }
  return headers;
}
