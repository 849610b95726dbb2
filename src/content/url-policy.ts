/**
 * The one rule for every URL that comes from front matter or the site
 * configuration (a cover `image`, `url`, `subscribe.action`, `email.logo`,
 * `email.subscribeUrl`, `email.unsubscribeUrl`): such a URL ends up in
 * `<img src>`, `<form action>`, Open Graph, JSON-LD, the feeds and the email,
 * so only schemes that cannot run anything are allowed.
 */

import { isLoopbackHost } from '../send/smtp-url.js';

/** What a URL setting accepts. */
export interface UrlPolicy {
  /** Also accept a path without a scheme (`assets/cover.jpg`, `/images/x.png`). */
  relative?: boolean;
  /** Also accept `mailto:` addresses. */
  mailto?: boolean;
  /** Accept `https:` only, not `http:`. */
  httpsOnly?: boolean;
  /** Accept `http:` only on a loopback host (localhost, 127.0.0.1, [::1]), for trying a service out; `https:` elsewhere. */
  httpsOffLoopback?: boolean;
  /** Refuse a `?query` and a `#fragment` (an address that paths are appended to). */
  bare?: boolean;
  /** The example the messages give, quoted, e.g. `"https://news.example.org/"`. */
  example?: string;
}

// Browsers drop tabs and line breaks inside URLs ("java\tscript:"), so any control character or space is refused outright.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/u;

const SCHEME = /^([a-z][a-z\d+.-]*):/i;

/**
 * Why `value` is not allowed by `policy`, or `undefined` when it is. The
 * reason says what is accepted, so it can be shown as is after the setting's
 * name or the field's place.
 *
 * @param value  The URL as written.
 * @param policy What this setting accepts.
 */
export function urlProblem(value: string, policy: UrlPolicy = {}): string | undefined {
  const schemes = policy.httpsOnly ? ['https'] : ['http', 'https'];
  if (policy.mailto) schemes.push('mailto');
  const accepted = `${schemes.map((scheme) => `${scheme}:`).join(', ')}${policy.relative ? ' or a path on the site' : ''}`;
  const example = policy.example ?? (policy.relative ? '"assets/cover.jpg" or "https://example.org/cover.jpg"' : policy.httpsOnly ? '"https://example.org/unsubscribe"' : '"https://example.org/"');
  if (value.trim() === '') return `expected a URL such as ${example}, got nothing`;
  if (CONTROL_OR_SPACE.test(value)) return `a URL may not hold spaces or control characters: percent-encode them (%20), e.g. ${example}`;
  if (value.startsWith('//') || value.startsWith('\\')) return `a URL without a scheme that names another host is not allowed: write it with https://, e.g. ${example}`;
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    return policy.relative ? undefined : expectedUrl(policy);
  }
  if (!schemes.includes(scheme)) return `the scheme "${scheme}:" is not allowed here (only ${accepted}), e.g. ${example}`;
  if (scheme === 'mailto') return /^mailto:[^@\s]+@[^@\s]+$/i.test(value) ? undefined : 'expected a mail address such as "mailto:editor@example.org"';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `not a valid URL: expected one such as ${example}`;
  }
  if (!url.hostname) return `the URL names no host: expected one such as ${example}`;
  // A password in a URL that ends up in pages, feeds and emails is published with them.
  if (url.username || url.password) return `a URL may not carry a user name or password (user:password@): remove them, e.g. ${example}`;
  if (policy.httpsOffLoopback && scheme === 'http' && !isLoopbackHost(url.hostname)) return `expected https:// (readers send their address to it); http:// only for localhost or 127.0.0.1, e.g. ${example}`;
  if (policy.bare && (url.search || url.hash || value.includes('?') || value.includes('#'))) return `expected an address without ?query or #fragment (paths are appended to it), e.g. ${example}`;
  return undefined;
}

/**
 * What a setting with `policy` expects, in words, for a value that is missing
 * or not a URL at all.
 *
 * @param policy What the setting accepts.
 */
export function expectedUrl(policy: UrlPolicy = {}): string {
  if (policy.example) return `expected ${policy.httpsOnly || policy.httpsOffLoopback ? 'an https' : 'an http(s)'} URL such as ${policy.example}`;
  return policy.httpsOnly ? 'expected an https URL such as "https://example.org/unsubscribe"' : 'expected an http(s) URL such as "https://example.org/"';
}
