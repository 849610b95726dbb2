import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Lets the blog's pages read the answer to their subscribe post. The page's
 * script (`templates/assets/subscribe.js`) posts with `fetch` from the
 * blog's origin to the service, usually another host; the post is a CORS
 * "simple" request (form-encoded, `Accept` only), so no preflight comes,
 * but without `Access-Control-Allow-Origin` the browser hides the answer
 * and the script can only say the service could not be reached, although
 * the address was recorded. Only the allowed origins (the site's and the
 * service's) are named; no credentials are allowed.
 *
 * @param request  The request.
 * @param response The response, before its headers are written.
 * @param allowed  Origins such as `https://example.org`.
 */
export function allowReadingFrom(request: IncomingMessage, response: ServerResponse, allowed: ReadonlySet<string>): void {
  response.setHeader('Vary', 'Origin');
  const origin = request.headers.origin?.toLowerCase();
  if (origin !== undefined && allowed.has(origin)) response.setHeader('Access-Control-Allow-Origin', origin);
}
