import { join } from 'node:path';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { SiteConfig } from '../config/schema.js';
import { pageUrl } from '../render/site/sitemap.js';
import type { PageReferences } from './page-references.js';

/**
 * Checks every link and asset reference in the blog's pages against the
 * files the build is about to write: a relative link, or an absolute one on
 * the site's own address, that points at no file (or at an `#id` the target
 * page lacks) is reported at its line and column in the page. Links to other
 * sites are not fetched. Pages are known by their ids and references,
 * collected as they were written (or kept in the cache), not by their text.
 *
 * @param files  The paths of the build's output, relative to the output folder.
 * @param pages  The ids and references of each HTML page, by path under `blog/`.
 * @param config The site configuration.
 * @param outDir The output folder, for the paths in messages.
 * @param strict Report broken links as errors instead of warnings.
 * @param known  Pages known to be clean without a look (see `cache/clean-pages.ts`): skipped.
 * @returns The problems found, and the pages checked that had none.
 */
export function checkLinks(
  files: Pick<ReadonlySet<string>, 'has'>,
  pages: ReadonlyMap<string, PageReferences>,
  config: SiteConfig,
  outDir: string,
  strict: boolean,
  known: (path: string) => boolean = () => false,
): { messages: VFileMessage[]; clean: string[] } {
  const messages: VFileMessage[] = [];
  const clean: string[] = [];
  // Most references resolve alike on every page (a stylesheet, the home page, a tag): each is checked once.
  const checked = new Map<string, string | undefined>();
  for (const [path, page] of pages) {
    if (known(path)) continue;
    const found = messages.length;
    const file = new VFile({ path: join(outDir, 'blog', path) });
    const base = pageUrl(path, config);
    const depth = path.split('/').length - 1;
    for (const { tagName, attribute, value, place } of page.links) {
      const key = sharedResolution(value, depth);
      let problem: string | undefined;
      if (key !== undefined && checked.has(key)) problem = checked.get(key);
      else {
        problem = brokenBecause(value, base, config, files, pages);
        if (key !== undefined) checked.set(key, problem);
      }
      if (!problem) continue;
      const message = file.message(`${tagName === 'a' ? 'link' : `${tagName} ${attribute}`} "${value}" points at nothing: ${problem}`, {
        place,
        ruleId: 'broken-link',
        source: 'sahifa',
      });
      message.fatal = strict;
      messages.push(message);
    }
    if (messages.length === found) clean.push(path);
  }
  return { messages, clean };
}

/**
 * A page's references less those {@link checkLinks} never looks at (valid
 * addresses on other sites: share links, citations, `mailto:`), so a build
 * that keeps every page's references to the end keeps only what it checks.
 *
 * @param path   The page's path under `blog/`.
 * @param page   Its ids and references.
 * @param config The site configuration.
 */
export function checkedReferences(path: string, page: PageReferences, config: SiteConfig): PageReferences {
  const base = pageUrl(path, config);
  return { ids: page.ids, links: page.links.filter((link) => onSite(link.value, base, config) !== 'elsewhere') };
}

/**
 * A key that two references share only when they resolve to the same
 * address, whatever page of the site they are on: an address with a scheme
 * and an authority (the page does not matter), or a relative one that climbs exactly out of
 * its page's folders (`../` as many times as the page is deep) and then
 * names a path from the site's root without dot segments, a colon before
 * its first slash (a scheme, once nothing is climbed), backslashes or
 * spaces (which the URL parser would rewrite). Any other reference gets no
 * key and is resolved against its own page.
 *
 * @param reference The reference as written.
 * @param depth     How many folders deep its page is under the blog's root.
 */
export function sharedResolution(reference: string, depth: number): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference)) return `url\0${reference}`;
  const climb = '../'.repeat(depth);
  if (!reference.startsWith(climb)) return undefined;
  const rest = reference.slice(climb.length);
  if (rest.startsWith('/') || /^[^/?#]*:/.test(rest) || /[\\\s\0-\x1f\x7f]/.test(rest)) return undefined;
  // Nothing climbed and no path: the page itself (`''`, `?q`, `#id`).
  if (depth === 0 && /^(?:$|[?#])/.test(rest)) return undefined;
  const path = rest.split(/[?#]/, 1)[0] as string;
  if (path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment))) return undefined;
  return `root\0${rest}`;
}

/** A reference resolved against its page: its URL when it is on the site's own address, `elsewhere` for a valid address outside it, `invalid` for no address at all. */
function onSite(reference: string, base: string, config: SiteConfig): URL | 'elsewhere' | 'invalid' {
  let url: URL;
  try {
    url = new URL(reference, base);
  } catch {
    return 'invalid';
  }
  return url.href.startsWith(config.url) ? url : 'elsewhere';
}

/** Why a reference is broken, or `undefined` when it is fine or not ours to check. */
function brokenBecause(
  reference: string,
  base: string,
  config: SiteConfig,
  files: Pick<ReadonlySet<string>, 'has'>,
  pages: ReadonlyMap<string, PageReferences>,
): string | undefined {
  const url = onSite(reference, base, config);
  if (url === 'invalid') return 'not a valid address';
  if (url === 'elsewhere') return undefined;
  const relativePath = decoded(url.pathname.slice(new URL(config.url).pathname.length));
  if (relativePath === undefined) return 'its %-escapes do not spell UTF-8 text (write the address again, or percent-encode a literal %)';
  const candidates = relativePath === '' || relativePath.endsWith('/') ? [`${relativePath}index.html`] : [relativePath, `${relativePath}/index.html`];
  const found = candidates.find((candidate) => files.has(`blog/${candidate}`));
  if (!found) return `no ${candidates[0]} in the output`;
  const fragment = decoded(url.hash.slice(1)) ?? url.hash.slice(1);
  const target = pages.get(found);
  if (fragment && target && !target.ids.has(fragment)) return `${found} has no element with id "${fragment}"`;
  return undefined;
}

/** `decodeURIComponent`, or `undefined` for escapes that are not UTF-8 (which make it throw "URI malformed"). */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
