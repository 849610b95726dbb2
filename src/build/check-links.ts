import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { join } from 'node:path';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { SiteConfig } from '../config/schema.js';
import { pageUrl } from '../render/site/sitemap.js';

/** Attributes of each element that point at something the site must have. */
const LINKING: Record<string, readonly string[]> = {
  a: ['href'],
  link: ['href'],
  img: ['src'],
  script: ['src'],
  source: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  iframe: ['src'],
};

interface ParsedPage {
  tree: Root;
  ids: Set<string>;
}

/**
 * Checks every link and asset reference in the blog's pages against the
 * files the build is about to write: a relative link, or an absolute one on
 * the site's own address, that points at no file (or at an `#id` the target
 * page lacks) is reported at its line and column in the page. Links to other
 * sites are not fetched.
 *
 * @param files  The build's output, by path relative to the output folder.
 * @param config The site configuration.
 * @param outDir The output folder, for the paths in messages.
 * @param strict Report broken links as errors instead of warnings.
 */
export function checkLinks(files: ReadonlyMap<string, string | Uint8Array>, config: SiteConfig, outDir: string, strict: boolean): VFileMessage[] {
  const pages = new Map<string, ParsedPage>();
  for (const [path, content] of files) {
    if (!path.startsWith('blog/') || !path.endsWith('.html')) continue;
    const tree = fromHtml(String(content));
    const ids = new Set<string>();
    visit(tree, 'element', (node: Element) => {
      for (const key of ['id', 'name'] as const) if (typeof node.properties[key] === 'string') ids.add(node.properties[key]);
    });
    pages.set(path.slice('blog/'.length), { tree, ids });
  }
  const messages: VFileMessage[] = [];
  for (const [path, page] of pages) {
    const file = new VFile({ path: join(outDir, 'blog', path) });
    const base = pageUrl(path, config);
    visit(page.tree, 'element', (node: Element) => {
      for (const attribute of LINKING[node.tagName] ?? []) {
        const value = node.properties[attribute];
        if (typeof value !== 'string' || !value) continue;
        const problem = brokenBecause(value, base, config, files, pages);
        if (!problem) continue;
        const message = file.message(`${node.tagName === 'a' ? 'link' : `${node.tagName} ${attribute}`} "${value}" points at nothing: ${problem}`, {
          place: node.position?.start,
          ruleId: 'broken-link',
          source: 'sahifa',
        });
        message.fatal = strict;
        messages.push(message);
      }
    });
  }
  return messages;
}

/** Why a reference is broken, or `undefined` when it is fine or not ours to check. */
function brokenBecause(
  reference: string,
  base: string,
  config: SiteConfig,
  files: ReadonlyMap<string, unknown>,
  pages: ReadonlyMap<string, ParsedPage>,
): string | undefined {
  let url: URL;
  try {
    url = new URL(reference, base);
  } catch {
    return 'not a valid address';
  }
  if (!url.href.startsWith(config.url)) return undefined;
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
