import type { SiteConfig } from '../../config/schema.js';

/** A link of the header menu, ready for the template. */
export interface NavLink {
  title: string;
  /** The address from the page being rendered (relative inside the site, else absolute). */
  href: string;
  /** The site-relative path (`about/`) of a link inside the site, for `aria-current`. */
  path?: string;
  /** True on the page the link points at. */
  current?: boolean;
}

/**
 * The header menu of one page: the config's `nav` entries that carry an
 * `href` (build resolves `{ page }` entries into those first), with paths
 * inside the site (`/about/`) made relative to the page through `root`.
 *
 * @param config The site configuration.
 * @param root   The way from the page to the blog root (`../`, `''`, or the site's URL on 404.html).
 */
export function navLinks(config: Pick<SiteConfig, 'nav'>, root: string): NavLink[] {
  return config.nav.flatMap((entry) => {
    if (!('href' in entry)) return [];
    if (!entry.href.startsWith('/')) return [{ title: entry.title, href: entry.href }];
    const path = entry.href.slice(1);
    return [{ title: entry.title, href: `${root}${path}` || './', path }];
  });
}
