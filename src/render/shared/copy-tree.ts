import type { ElementContent, Root, RootContent } from 'hast';

/**
 * A copy of a hast tree that a renderer may rewrite (addresses, image
 * sources) without touching the original: every node and every element's
 * `properties` object is new; property values, `data` and text are shared,
 * since rewriting replaces them rather than changing them; source positions
 * are left out (HTML and text are made without them). Written by hand:
 * `structuredClone` copies every position and string of the tree and was a
 * large part of each email's and feed entry's cost.
 *
 * @param tree The tree to copy (not changed).
 */
export function copyTree(tree: Root): Root {
  return { type: 'root', children: tree.children.map(copyNode), ...(tree.data ? { data: tree.data } : {}) };
}

function copyNode<T extends RootContent | ElementContent>(node: T): T {
  if (node.type === 'element') return { ...node, position: undefined, properties: { ...node.properties }, children: node.children.map(copyNode) };
  return { ...node, position: undefined };
}
