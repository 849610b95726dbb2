/** The parts of a request's target that servers route on. */
export interface RequestTarget {
  /** The path, percent-decoded (`/مقال/`). */
  path: string;
  /** The path as sent, percent-encoded, after resolving `.` and `..`. */
  rawPath: string;
  /** The query. */
  query: URLSearchParams;
}

/**
 * Reads a request's target (`request.url`). Only the origin form (`/path?query`)
 * is accepted; the path must decode to UTF-8 without NUL. A target that is
 * not one of those (`/%zz`, `/%C0`, `/a%00`, `*`) gives
 * `undefined`: answer it 400.
 *
 * @param target The request's target, as `request.url` holds it.
 * @returns The decoded path and query, or `undefined` for a malformed target.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
  if (!target?.startsWith('/')) return undefined;
  let url: URL;
  try {
    // A fixed origin in front: the target's own text can never be read as a host.
    url = new URL(`http://sahifa.invalid${target}`);
  } catch {
    return undefined;
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  return { path, rawPath: url.pathname, query: url.searchParams };
}
