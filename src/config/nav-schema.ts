import { z } from 'zod';

/**
 * A menu address: a path inside the site (`/about/`, relative to the site's
 * `url`) or an absolute `http(s):` or `mailto:` address. `//host` and other
 * schemes (`javascript:`) are refused.
 */
const navHref = z.string({ error: 'expected an address as text' }).refine((href) => {
  if (href.startsWith('/')) return !href.startsWith('//') && !/[\s\\]/.test(href);
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(href).protocol);
  } catch {
    return false;
  }
}, 'expected a path inside the site such as "/about/", or an http(s):// or mailto: address');

const navTitle = z.string({ error: 'expected the link\'s text' }).trim().min(1, 'expected the link\'s text, got nothing');

/** One entry of the header menu: a page by its slug, or any address with its text. */
export const navEntrySchema = z.union(
  [
    z.strictObject({ page: z.string().trim().min(1, 'expected a page\'s slug, e.g. "about"'), title: navTitle.optional() }),
    z.strictObject({ title: navTitle, href: navHref }),
  ],
  { error: 'expected { "page": "about" } or { "title": "…", "href": "/about/" }' },
);

/** A menu entry as written in the config. */
export type NavEntry = z.output<typeof navEntrySchema>;

/** The `nav` key: the header menu, in order (see "Pages" in the README). */
export const navSchema = z.array(navEntrySchema, { error: 'expected a list of menu entries' }).default([]);
