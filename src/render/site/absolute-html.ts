import type { Element, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import { copyTree } from '../shared/copy-tree.js';

/** Attributes that hold an address. */
const URL_ATTRIBUTES = ['href', 'src', 'cite', 'poster'] as const;

/**
 * `url` resolved against `base`; left alone when it cannot be parsed.
 *
 * @param url  An address from the post.
 * @param base The post's page address.
 */
export function absolute(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

/**
 * A copy of a post's body with every address made absolute from the post's
 * page address: what feed readers and mail clients need, since they show
 * the content away from the page.
 *
 * @param tree    The post's body (not changed).
 * @param baseUrl The post's page address.
 */
export function withAbsoluteUrls(tree: Root, baseUrl: string): Root {
  const copy = copyTree(tree);
  visit(copy, 'element', (node: Element) => {
    for (const key of URL_ATTRIBUTES) {
      const value = node.properties[key];
      if (typeof value === 'string') node.properties[key] = absolute(value, baseUrl);
    }
  });
  return copy;
}

/**
 * The body as HTML with absolute addresses, for feeds.
 *
 * @param tree    The post's body.
 * @param baseUrl The post's page address.
 */
export function absoluteHtml(tree: Root, baseUrl: string): string {
  return toHtml(withAbsoluteUrls(tree, baseUrl));
}
