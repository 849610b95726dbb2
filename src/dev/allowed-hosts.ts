import { isIP } from 'node:net';

/** Names that always mean this machine. */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** Addresses that mean "every network of this machine". */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/**
 * Which `Host` headers the dev server answers, against DNS rebinding: a page
 * of another site whose name is made to resolve to this machine would send
 * its own name as `Host`, and must not read drafts. Loopback names and the
 * `--host` the server listens on are accepted; when it listens on every
 * network (`0.0.0.0`, `::`), so are IP addresses (how a phone on the same
 * network reaches it), which no rebinding can forge.
 */
export class AllowedHosts {
  readonly #names: Set<string>;
  readonly #anyAddress: boolean;

  /**
   * @param listenHost The `--host` the server listens on.
   */
  constructor(listenHost: string) {
    const own = bracketed(listenHost.trim().toLowerCase());
    this.#anyAddress = WILDCARDS.has(own);
    this.#names = new Set([...LOOPBACK, ...(this.#anyAddress ? [] : [own])]);
  }

  /**
   * Whether a request with this `Host` header may be answered.
   *
   * @param header The `Host` header (`name`, `name:port`, `[v6]:port`).
   */
  allowsHost(header: string | undefined): boolean {
    const name = hostnameOf(header);
    if (name === undefined) return false;
    if (this.#names.has(name)) return true;
    return this.#anyAddress && isIP(name.replace(/^\[|\]$/g, '')) !== 0;
  }

  /**
   * Whether a request with this `Origin` header may be answered: none (a
   * same-origin navigation) or one on an allowed host; never `null`.
   *
   * @param header The `Origin` header.
   */
  allowsOrigin(header: string | undefined): boolean {
    if (header === undefined) return true;
    try {
      const origin = new URL(header);
      return (origin.protocol === 'http:' || origin.protocol === 'https:') && this.allowsHost(origin.host);
    } catch {
      return false;
    }
  }
}

/** The host name of a `Host` header, lower case, without the port (`[::1]` keeps its brackets). */
function hostnameOf(header: string | undefined): string | undefined {
  if (!header || /[\s/@\\?#]/.test(header)) return undefined;
  try {
    const url = new URL(`http://${header}`);
    return url.hostname === '' ? undefined : url.hostname;
  } catch {
    return undefined;
  }
}

/** An IPv6 address in brackets, as `Host` headers write it; anything else as it is. */
function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
