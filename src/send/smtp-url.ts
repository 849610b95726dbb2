import { isIP } from 'node:net';

/** Where and how to reach the SMTP server, read from `SAHIFA_SMTP_URL`. */
export interface SmtpServerAddress {
  host: string;
  port: number;
  /** TLS from the first byte (`smtps://`); otherwise STARTTLS when offered or required. */
  secure: boolean;
  /** Refuse to go on unless the server upgrades the connection with STARTTLS. */
  requireTLS: boolean;
  auth?: { user: string; pass: string };
  /** The URL without its password, for messages. */
  display: string;
}

/** Ports where the server expects STARTTLS (plain text first), and where it expects TLS at once. */
const STARTTLS_PORTS = new Set([25, 587, 2525]);
const IMPLICIT_TLS_PORTS = new Set([465]);

const EXAMPLE = 'smtp://user:password@smtp.example.org:587 (STARTTLS) or smtps://user:password@smtp.example.org:465 (TLS)';
const ENCODE = 'percent-encode @ as %40, # as %23, / as %2F, ? as %3F, : as %3A and % as %25 in the user name and password';

/**
 * Whether a host name is this machine (loopback), where a password can
 * travel without TLS because it never leaves the machine.
 *
 * @param host A host name or IP address (IPv6 with or without brackets).
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

/** An error about `SAHIFA_SMTP_URL`, in one line. */
function urlError(problem: string): Error {
  return new Error(`SAHIFA_SMTP_URL ${problem}`);
}

/** The URL with the password replaced by `***`. */
function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href.replace(/\/$/, '');
}

/**
 * Reads `SAHIFA_SMTP_URL` (`smtp://user:password@host:587` or
 * `smtps://user:password@host:465`), refusing with one line that names the
 * variable and the fix: a missing or wrong scheme, `smtps://` on a STARTTLS
 * port and `smtp://` on port 465, and special characters left unencoded in
 * the password. The password never appears in a message.
 *
 * With a user name and password, the connection must be encrypted
 * (`smtps://`, or STARTTLS, which is then required) unless the host is
 * loopback: a server that does not offer STARTTLS is refused rather than
 * sent the password in clear.
 *
 * @param raw The variable's value.
 */
export function parseSmtpUrl(raw: string): SmtpServerAddress {
  const value = raw.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw urlError(`has no scheme: write it as ${EXAMPLE}`);
  }
  const scheme = value.slice(0, value.indexOf(':')).toLowerCase();
  if (scheme !== 'smtp' && scheme !== 'smtps') {
    throw urlError(`starts with "${scheme}://": sahifa sends mail over SMTP only; write it as ${EXAMPLE}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw urlError(`is not a valid URL: if the password holds special characters, ${ENCODE}; e.g. ${EXAMPLE}`);
  }
  if (url.hash || url.search || (url.pathname !== '' && url.pathname !== '/')) {
    throw urlError(`has a path, query or "#" after the host, most likely from the password: ${ENCODE}`);
  }
  if (!url.hostname) throw urlError(`has no host: write it as ${EXAMPLE}`);
  const secure = scheme === 'smtps';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  if (secure && STARTTLS_PORTS.has(port)) {
    throw urlError(`uses smtps:// (TLS from the start) on port ${port}, where servers expect STARTTLS: write smtp://…:${port} (sahifa then requires STARTTLS) or smtps://…:465`);
  }
  if (!secure && IMPLICIT_TLS_PORTS.has(port)) {
    throw urlError(`uses smtp:// on port 465, where servers expect TLS from the start: write smtps://…:465, or smtp://…:587 for STARTTLS`);
  }
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
  } catch {
    throw urlError(`has a "%" in the user name or password that is no escape: ${ENCODE}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const credentials = user !== '' || pass !== '';
  return {
    host,
    port,
    secure,
    requireTLS: !secure && credentials && !isLoopbackHost(host),
    ...(credentials ? { auth: { user, pass } } : {}),
    display: redact(url),
  };
}
