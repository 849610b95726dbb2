import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

/** The prefix every id and name from a post gets (GitHub's, which footnotes already use). */
export const USER_CONTENT_PREFIX = 'user-content-';

/** Properties holding one id or name each. */
const NAMING = ['id', 'name'] as const;

/** Properties holding a list of ids. */
const REFERRING = ['ariaDescribedBy', 'ariaLabelledBy'] as const;

const prefixed = (value: string) => (value.startsWith(USER_CONTENT_PREFIX) ? value : `${USER_CONTENT_PREFIX}${value}`);

/**
 * Keeps a post from clobbering the page's own ids and the DOM's names
 * (`# content` would duplicate the layout's `id="content"`; an image named
 * `getElementById` would shadow `document.getElementById`): every `id` and
 * `name` in the post, footnotes and heading ids included, gets the
 * `user-content-` prefix, and every in-post link to `#x` is pointed at
 * `#user-content-x`, so `[see](#background)` keeps working.
 *
 * This is the only place that prefixes (remark-rehype and rehype-sanitize
 * are told not to), and a value that already has the prefix keeps it as it
 * is, so nothing is ever prefixed twice and links and targets always agree.
 */
export default function rehypePrefixIds() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element) => {
      const properties = node.properties;
      for (const key of NAMING) {
        const value = properties[key];
        if (typeof value === 'string' && value !== '') properties[key] = prefixed(value);
      }
      for (const key of REFERRING) {
        const value = properties[key];
        if (Array.isArray(value)) properties[key] = value.map((item) => prefixed(String(item)));
      }
      const href = properties.href;
      if (node.tagName === 'a' && typeof href === 'string' && href.length > 1 && href.startsWith('#')) {
        properties.href = `#${prefixed(href.slice(1))}`;
      }
    });
  };
}
