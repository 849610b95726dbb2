/** What the service answers. */
export type Route = 'subscribe' | 'confirm' | 'unsubscribe' | 'healthz' | 'other' | 'bad';

const ROUTES: readonly Route[] = ['subscribe', 'confirm', 'unsubscribe', 'healthz'];

/**
 * The route of a decoded request path. The service answers at the root
 * (`/subscribe`) and under the path of `serve.url` (`/newsletter/subscribe`),
 * so a proxy may pass the prefix on or strip it; the path of
 * `email.unsubscribeUrl` is the unsubscribe route too, for links already sent.
 *
 * @param path  The decoded path.
 * @param paths The path of `serve.url` (ending in `/`) and of `email.unsubscribeUrl`.
 */
export function routeOf(path: string, paths: { base: string; legacy?: string }): Route {
  if (paths.legacy && path === paths.legacy) return 'unsubscribe';
  const rest = path.startsWith(paths.base) ? path.slice(paths.base.length) : path.slice(1);
  const name = rest.replace(/\/$/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'other';
}
